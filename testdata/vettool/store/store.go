// Package store holds types other packages embed and fill.
package store

import "sync"

// Entry is large enough that a map stores it out of line.
type Entry struct {
	Key     string
	Payload [160]byte
}

// Index maps keys to entries; it only grows.
type Index struct {
	mu    sync.Mutex
	byKey map[string]Entry
}

// NewIndex makes an empty index.
func NewIndex() *Index {
	return &Index{byKey: make(map[string]Entry)}
}

// Put adds an entry.
func (ix *Index) Put(e Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.byKey[e.Key] = e
}

var seen = map[string]bool{}

// Remember records a key forever.
func Remember(k string) { seen[k] = true }

// Reset empties a map key by key.
func Reset(m map[string]int) {
	for k := range m {
		delete(m, k)
	}
}
