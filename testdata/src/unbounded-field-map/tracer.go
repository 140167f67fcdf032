package edge

import (
	"sync"
	"sync/atomic"
	"time"
)

type Span struct {
	ID       uint64
	Name     string
	Start    time.Time
	Duration time.Duration
}

// Tracer keeps spans by ID. Finish records the duration but forgets to drop
// the span, so every request's span stays reachable.
type Tracer struct {
	nextID atomic.Uint64

	mu    sync.Mutex
	spans map[uint64]*Span
}

func NewTracer() *Tracer { return &Tracer{spans: make(map[uint64]*Span)} }

func (t *Tracer) Start(name string) uint64 {
	id := t.nextID.Add(1)
	t.mu.Lock()
	t.spans[id] = &Span{ID: id, Name: name, Start: time.Now()} // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
	t.mu.Unlock()
	return id
}

func (t *Tracer) Finish(id uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.spans[id]; ok {
		s.Duration = time.Since(s.Start)
	}
}
