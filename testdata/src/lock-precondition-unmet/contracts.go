package kv

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

type Ring struct {
	mu      sync.Mutex
	nodes   map[string]int
	sorted  []string
	version uint64

	statsMu sync.Mutex
	moves   map[string]int
}

// rebalance recomputes the ring order.
// The caller must hold r.mu.
func (r *Ring) rebalance() {
	r.sorted = r.sorted[:0]
	for n := range r.nodes {
		r.sorted = append(r.sorted, n)
	}
	sort.Strings(r.sorted)
	r.version++
}

// recordMove must be called with r.statsMu held.
func (r *Ring) recordMove(node string) {
	r.moves[node]++
}

// +checklocks:r.mu
func (r *Ring) weightOf(node string) int {
	return r.nodes[node]
}

func (r *Ring) Join(node string, weight int) {
	r.mu.Lock()
	r.nodes[node] = weight
	r.mu.Unlock()
	r.rebalance() // want "rebalance requires r.mu"
}

func (r *Ring) Leave(node string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.nodes, node)
	r.rebalance()
	r.recordMove(node) // want "recordMove requires r.statsMu"
}

func (r *Ring) Weight(node string) int {
	return r.weightOf(node) // want "weightOf requires r.mu"
}

// A handler registered while the lock is held runs later without it.
func (r *Ring) Routes(mux *http.ServeMux) {
	r.mu.Lock()
	defer r.mu.Unlock()
	mux.HandleFunc("/rebalance", func(w http.ResponseWriter, _ *http.Request) {
		r.rebalance() // want "rebalance requires r.mu"
		w.WriteHeader(http.StatusNoContent)
	})
}

// Package-level contract.
var (
	regMu    sync.Mutex
	backends = map[string]string{}
)

// addBackendLocked registers a backend. regMu must be held.
func addBackendLocked(name, addr string) {
	backends[name] = addr
}

func AddBackend(name, addr string) {
	addBackendLocked(name, addr) // want "addBackendLocked requires regMu"
}

// Embedded mutex.
type Table struct {
	sync.RWMutex
	rows map[int64][]byte
}

func (t *Table) insertLocked(id int64, row []byte) {
	t.rows[id] = row
}

func (t *Table) Insert(id int64, row []byte) {
	t.insertLocked(id, row) // want "insertLocked requires t"
}

// The read lock is not enough for a helper that writes.
func (t *Table) Upsert(id int64, row []byte) {
	t.RLock()
	defer t.RUnlock()
	t.insertLocked(id, row) // want "insertLocked requires t"
}

// Throttle is in this file; its helper in throttle_locked.go.
type Throttle struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (th *Throttle) Allow(key string, every time.Duration) bool {
	now := time.Now()
	if !th.allowLocked(key, now, every) { // want "allowLocked requires th.mu"
		return false
	}
	return true
}
