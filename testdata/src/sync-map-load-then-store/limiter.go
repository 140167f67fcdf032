// Package gateway uses sync.Map for per-key state; MG501
// (sync-map-load-then-store) flags Load followed by Store of the same key,
// which races where LoadOrStore would not.
package gateway

import (
	"net"
	"net/http"
	"sync"
	"time"
)

type tokenBucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket() *tokenBucket { return &tokenBucket{tokens: 10, last: time.Now()} }

type Server struct {
	limiters sync.Map // client IP -> *tokenBucket
	profiles *sync.Map
	load     func(id string) (*Profile, error)
}

type Profile struct {
	ID   string
	Name string
}

// limiterFor: two requests from a new IP can both miss, both create a bucket,
// and the second Store throws away the first one's tokens.
func (s *Server) limiterFor(r *http.Request) *tokenBucket {
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if v, ok := s.limiters.Load(ip); ok {
		return v.(*tokenBucket)
	}
	b := newBucket()
	s.limiters.Store(ip, b) // want "Load then Store of key"
	return b
}

// profile caches by the request's user ID.
func (s *Server) profile(r *http.Request) (*Profile, error) {
	id := r.Header.Get("X-User-ID")
	v, ok := s.profiles.Load(id)
	if !ok {
		p, err := s.load(id)
		if err != nil {
			return nil, err
		}
		s.profiles.Store(id, p) // want "Load then Store of key"
		v = p
	}
	return v.(*Profile), nil
}
