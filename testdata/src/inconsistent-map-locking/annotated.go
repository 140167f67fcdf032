package api

import (
	"sync"
	"time"
)

// Annotations name the guard even when the field is not below the mutex.
type Tokens struct {
	// guarded by mu
	byID map[string]time.Time
	// +checklocks:mu
	revoked map[string]bool

	ttl time.Duration
	mu  sync.Mutex
}

func (t *Tokens) Issue(id string) {
	t.mu.Lock()
	t.byID[id] = time.Now().Add(t.ttl)
	t.mu.Unlock()
}

func (t *Tokens) Valid(id string) bool {
	exp, ok := t.byID[id] // want "t.byID is guarded by t.mu"
	return ok && time.Now().Before(exp) && !t.isRevoked(id)
}

func (t *Tokens) isRevoked(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.revoked[id]
}

func (t *Tokens) Revoke(id string) {
	t.revoked[id] = true // want "t.revoked is guarded by t.mu"
}

// Blocklist uses the "protected by" wording on a trailing comment.
type Blocklist struct {
	mu  sync.RWMutex
	ips map[string]struct{} // protected by mu
}

func (b *Blocklist) Blocked(ip string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	_, ok := b.ips[ip]
	return ok
}

func (b *Blocklist) Add(ip string) {
	b.ips[ip] = struct{}{} // want "b.ips is guarded by b.mu"
}
