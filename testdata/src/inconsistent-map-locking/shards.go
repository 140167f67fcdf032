package api

import "sync"

type Shard struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *Shard) Add(k string, n int) {
	s.mu.Lock()
	s.items[k] += n
	s.mu.Unlock()
}

// Merge locks the other shard but writes its own map without its own lock:
// locks are identified by path, and o.mu is not s.mu.
func (s *Shard) Merge(o *Shard) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, n := range o.items {
		s.items[k] += n // want "s.items is guarded by s.mu"
	}
}

// Silent: both locks held.
func (s *Shard) MergeSafe(o *Shard) {
	if s == o {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, n := range o.items {
		s.items[k] += n
	}
}
