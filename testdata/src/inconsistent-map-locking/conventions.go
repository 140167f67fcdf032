package api

import (
	"container/heap"
	"sync"
)

// Mesh shows guards the analysis must not invent or trust blindly.
type Mesh struct {
	mu    sync.Mutex
	peers map[string]*Forwarder
}

// Forwarder's map is guarded by a lock of another type (the Mesh that owns
// it); the comment names that lock, which Forwarder does not have.
type Forwarder struct {
	all map[string]int // protected by Mesh.mu
}

// Silent: the annotation names no lock of Forwarder, and the only callers
// hold the owner's lock.
func (f *Forwarder) Count() int { return len(f.all) }

func (m *Mesh) Add(peer, via string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.peers[peer].all[via]++
}

// TokenTable' comment is stale: every access holds tokensMu, not allocMu.
type TokenTable struct {
	allocMu  sync.Mutex
	tokensMu sync.Mutex
	tokens   map[string]string // protected by allocMu
}

// Silent: the accesses contradict the annotation and agree with each other.
func (t *TokenTable) Set(k, v string) {
	t.tokensMu.Lock()
	defer t.tokensMu.Unlock()
	t.tokens[k] = v
}

func (t *TokenTable) Get(k string) string {
	t.tokensMu.Lock()
	defer t.tokensMu.Unlock()
	return t.tokens[k]
}

func (t *TokenTable) Drop(k string) {
	t.tokensMu.Lock()
	defer t.tokensMu.Unlock()
	delete(t.tokens, k)
}

// Timers is a heap: container/heap calls its exported methods in place, under
// the lock NextDue holds.
type Timers struct {
	mu      sync.Mutex
	items   []string
	indexOf map[string]int
}

func (t *Timers) Len() int           { return len(t.items) }
func (t *Timers) Less(i, j int) bool { return t.items[i] < t.items[j] }
func (t *Timers) Swap(i, j int) {
	t.items[i], t.items[j] = t.items[j], t.items[i]
	t.indexOf[t.items[i]] = i
	t.indexOf[t.items[j]] = j
}
func (t *Timers) Push(x any) { t.indexOf[x.(string)] = len(t.items); t.items = append(t.items, x.(string)) }

// Silent: heap.Pop calls Pop with t.mu held by NextDue.
func (t *Timers) Pop() any {
	last := t.items[len(t.items)-1]
	delete(t.indexOf, last)
	t.items = t.items[:len(t.items)-1]
	return last
}

func (t *Timers) NextDue() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.indexOf["now"]; ok {
		return "now"
	}
	return heap.Pop(t).(string)
}

func (t *Timers) Schedule(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	heap.Push(t, name)
}

func (t *Timers) Pending(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.indexOf[name]
	return ok
}

// Shares locks through small wrapper methods.
type Shares struct {
	sharesMu sync.Mutex
	shares   map[string]string
}

func (s *Shares) lockShares()   { s.sharesMu.Lock() }
func (s *Shares) unlockShares() { s.sharesMu.Unlock() }

// Silent: the wrappers lock and unlock s.sharesMu.
func (s *Shares) Set(k, v string) {
	s.lockShares()
	defer s.unlockShares()
	s.shares[k] = v
}

func (s *Shares) Get(k string) string {
	s.sharesMu.Lock()
	defer s.sharesMu.Unlock()
	return s.shares[k]
}

func (s *Shares) Len() int {
	s.lockShares()
	n := len(s.shares)
	s.unlockShares()
	return n
}

// The wrapper released the lock before the read.
func (s *Shares) Has(k string) bool {
	s.lockShares()
	s.unlockShares()
	_, ok := s.shares[k] // want "s.shares is guarded by s.sharesMu"
	return ok
}
