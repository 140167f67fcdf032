// Package legacy is a module that still says go 1.20: clear does not exist
// there, so MG301 must stay silent on the very loops it flags at go 1.21+.
package legacy

import "sync"

type Registry struct {
	mu    sync.Mutex
	items map[string]int
}

func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.items {
		delete(r.items, k)
	}
}

func resetAll(m map[string]bool) {
	for k := range m {
		delete(m, k)
	}
}
