package edge

import (
	"sync"
	"time"
)

// Silent: entries are added here and deleted in sessionstore_gc.go.
type SessionStore struct {
	mu       sync.Mutex
	ttl      time.Duration
	sessions map[string]time.Time // id -> last use
}

func NewSessionStore(ttl time.Duration) *SessionStore {
	return &SessionStore{ttl: ttl, sessions: map[string]time.Time{}}
}

func (s *SessionStore) Touch(id string) {
	s.mu.Lock()
	s.sessions[id] = time.Now()
	s.mu.Unlock()
}
