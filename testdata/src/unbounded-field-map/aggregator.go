package edge

import (
	"context"
	"sync"
	"time"
)

// Silent: the window map is replaced by a fresh one on every tick.
type Aggregator struct {
	mu     sync.Mutex
	window map[string]int
	flush  func(map[string]int)
}

func (a *Aggregator) Add(key string, n int) {
	a.mu.Lock()
	a.window[key] += n
	a.mu.Unlock()
}

func (a *Aggregator) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.mu.Lock()
			done := a.window
			a.window = make(map[string]int, len(done))
			a.mu.Unlock()
			a.flush(done)
		}
	}
}
