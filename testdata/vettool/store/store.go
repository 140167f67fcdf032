// Package store holds types other packages embed and fill.
package store

import "sync"

// Entry is large enough that a map stores it out of line.
type Entry struct {
	Key     string
	Payload [160]byte
}

// Index maps keys to entries; Drop forgets a key's pending mark but not its entry.
type Index struct {
	mu      sync.Mutex
	byKey   map[string]Entry
	pending map[string]bool
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
	ix.pending[e.Key] = true
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

// Drop ends a key's life, in one of the two maps.
func (ix *Index) Drop(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.pending, key)
}

var known = map[string]bool{}

// Forget drops a key from known, but not from seen.
func Forget(k string) { delete(known, k) }
