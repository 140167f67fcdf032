package cdn

import (
	"context"
	"sync"
	"time"
)

// Embedded RWMutex.
type Origins struct {
	sync.RWMutex
	healthy map[string]bool
	fails   map[string]int
}

func (o *Origins) Pick(name string) bool {
	o.RLock()
	defer o.RUnlock()
	if !o.healthy[name] {
		o.fails[name]-- // want "o.fails written while only"
		return false
	}
	return true
}

func (o *Origins) MarkDown(name string) {
	o.RLock()
	o.healthy[name] = false // want "o.healthy written while only"
	o.RUnlock()
}

// Package-level RWMutex and map.
var (
	purgeMu sync.RWMutex
	purged  = map[string]time.Time{}
)

// PurgedSince is called by every request handler.
func PurgedSince(key string, since time.Time) bool {
	return wasPurged(key, since)
}

func wasPurged(key string, since time.Time) bool {
	purgeMu.RLock()
	defer purgeMu.RUnlock()
	t, ok := purged[key]
	if ok && t.Before(since) {
		delete(purged, key) // want "purged written while only"
		return false
	}
	return ok
}

// A local alias of the mutex.
type Tenants struct {
	mu     sync.RWMutex
	quotas map[string]int64
}

func (t *Tenants) Consume(tenant string, n int64) bool {
	mu := &t.mu
	mu.RLock()
	defer mu.RUnlock()
	if t.quotas[tenant] < n {
		return false
	}
	t.quotas[tenant] -= n // want "t.quotas written while only"
	return true
}

// gRPC-style method.
type GetAssetRequest struct{ ID string }
type GetAssetResponse struct{ URL string }

type assetService struct {
	mu    sync.RWMutex
	urls  map[string]string
	views map[string]uint64
}

func (s *assetService) GetAsset(ctx context.Context, req *GetAssetRequest) (*GetAssetResponse, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.views[req.ID]++ // want "s.views written while only"
	return &GetAssetResponse{URL: s.urls[req.ID]}, nil
}

// A closure called in place inherits the read lock.
func (s *assetService) Rename(from, to string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	func() {
		if u, ok := s.urls[from]; ok {
			s.urls[to] = u // want "s.urls written while only"
		}
	}()
}

// A write in one case of a switch.
func (s *assetService) Apply(op, id, url string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch op {
	case "get":
		_ = s.urls[id]
	case "put":
		s.urls[id] = url // want "s.urls written while only"
	}
}

// A background loop on a ticker.
type Presence struct {
	mu       sync.RWMutex
	lastSeen map[string]time.Time
}

func (p *Presence) Start(ctx context.Context, ttl time.Duration) {
	go p.reap(ctx, ttl)
}

func (p *Presence) Online(id string) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	_, ok := p.lastSeen[id]
	return ok
}

func (p *Presence) reap(ctx context.Context, ttl time.Duration) {
	t := time.NewTicker(ttl / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			p.mu.RLock()
			for id, seen := range p.lastSeen {
				if now.Sub(seen) > ttl {
					delete(p.lastSeen, id) // want "p.lastSeen written while only"
				}
			}
			p.mu.RUnlock()
		}
	}
}
