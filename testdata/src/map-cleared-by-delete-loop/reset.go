// Package buffer holds the delete-in-range loops that MG301
// (map-cleared-by-delete-loop) rewrites to clear(m). This module says go 1.22.
package buffer

import (
	"context"
	"sync"
	"time"
)

var (
	inflightMu sync.Mutex
	inflight   = map[string]context.CancelFunc{}
)

// cancelAll stops every in-flight request; the cancel funcs are called before
// the map is emptied, in a separate loop.
func cancelAll() {
	inflightMu.Lock()
	defer inflightMu.Unlock()
	for _, cancel := range inflight {
		cancel()
	}
	for id := range inflight { // want "every key of inflight"
		delete(inflight, id)
	}
}

type Window struct {
	mu     sync.Mutex
	counts map[string]int
	start  time.Time
}

// Reset starts a new window, reusing the map's storage.
func (w *Window) Reset(now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Drop the previous window's counts.
	for k := range w.counts { // want "every key of w.counts"
		delete(w.counts, k)
	}
	w.start = now
}

// dedupe reuses one scratch set across batches.
func dedupe(batches [][]string, emit func([]string)) {
	seen := make(map[string]struct{})
	for _, batch := range batches {
		out := batch[:0]
		for _, s := range batch {
			if _, dup := seen[s]; !dup {
				seen[s] = struct{}{}
				out = append(out, s)
			}
		}
		emit(out)
		for k, _ := range seen { // want "every key of seen"
			delete(seen, k)
		}
	}
}

// Set is a named map type; clear works on it too.
type Set map[string]struct{}

func (s Set) Reset() {
	for k := range s { // want "every key of s"
		delete(s, k)
	}
}

// ResetMap empties any map.
func ResetMap[K comparable, V any](m map[K]V) {
	for k := range m { // want "every key of m"
		delete(m, k)
	}
}

type Tenants struct {
	byTenant map[string]map[string]int
}

// ResetTenant empties one tenant's inner map.
func (t *Tenants) ResetTenant(tenant string) {
	if inner, ok := t.byTenant[tenant]; ok && len(inner) > 0 {
		for key := range t.byTenant[tenant] { // want "every key of t.byTenant"
			delete(t.byTenant[tenant], key)
		}
	}
}

// drain runs on a ticker and empties the pending map after handing it off.
func drain(ctx context.Context, mu *sync.Mutex, pending map[uint64][]byte, send func(uint64, []byte)) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			mu.Lock()
			for id, b := range pending {
				send(id, b)
			}
			for id := range pending { // want "every key of pending"
				delete(pending, id)
			}
			mu.Unlock()
		}
	}
}
