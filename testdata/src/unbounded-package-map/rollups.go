package auth

import (
	"context"
	"sync"
	"time"
)

// Silent: latency rollups are swapped for a fresh map on every flush tick.
var (
	rollMu  sync.Mutex
	rollups = map[string]time.Duration{}
)

func recordLatency(route string, d time.Duration) {
	rollMu.Lock()
	rollups[route] += d
	rollMu.Unlock()
}

func flushRollups(ctx context.Context, every time.Duration, sink func(map[string]time.Duration)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rollMu.Lock()
			snapshot := rollups
			rollups = make(map[string]time.Duration, len(snapshot))
			rollMu.Unlock()
			sink(snapshot)
		}
	}
}
