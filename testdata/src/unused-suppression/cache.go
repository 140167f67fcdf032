// Package cache shows //mapguard:ignore comments that do and do not suppress a finding.
package cache

import "sync"

var hits = map[string]int{}

// record grows hits forever; the finding is accepted and suppressed with a reason.
func record(path string) {
	//mapguard:ignore MG201 paths come from the 20 routes registered at startup
	hits[path]++
}

type Store struct {
	mu    sync.Mutex
	items map[string][]byte
}

// Put evicts, so MG202 has nothing to say: the ignore is stale.
func (s *Store) Put(k string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) > 1000 {
		clear(s.items)
	}
	s.items[k] = v //mapguard:ignore MG202 bounded above // want "suppresses nothing"
}

// Reset has no finding at all on the next line.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	//mapguard:ignore MG301 kept for symmetry // want "suppresses nothing"
	s.items = make(map[string][]byte)
}

// nolint comments are golangci-lint's convention and are never reported as unused.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items) //nolint:mapguard
}

var routes = map[string]bool{}

// unregister drops a route, not its hit count: what makes hits an MG201 finding.
func unregister(path string) { delete(routes, path) }
