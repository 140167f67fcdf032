package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Session is what a logged-in user carries between requests.
type Session struct {
	ID       string
	User     string
	Created  time.Time
	LastSeen time.Time
}

// SessionStore keeps sessions in memory. mu guards the fields below it.
type SessionStore struct {
	ttl time.Duration

	mu       sync.Mutex
	sessions map[string]*Session
}

func NewSessionStore(ttl time.Duration) *SessionStore {
	return &SessionStore{ttl: ttl, sessions: make(map[string]*Session)}
}

func (s *SessionStore) Create(user string) (*Session, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	now := time.Now()
	sess := &Session{ID: hex.EncodeToString(raw[:]), User: user, Created: now, LastSeen: now}
	s.mu.Lock()
	s.sessions[sess.ID] = sess
	s.mu.Unlock()
	return sess, nil
}

// Get returns a copy of the session and marks it used.
func (s *SessionStore) Get(id string) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return Session{}, false
	}
	sess.LastSeen = time.Now()
	return *sess, true
}

// deleteLocked removes one session. The caller must hold s.mu.
func (s *SessionStore) deleteLocked(id string) {
	delete(s.sessions, id)
}

// expireLocked drops idle sessions. The caller must hold s.mu.
func (s *SessionStore) expireLocked(now time.Time) int {
	n := 0
	for id, sess := range s.sessions {
		if now.Sub(sess.LastSeen) > s.ttl {
			s.deleteLocked(id)
			n++
		}
	}
	return n
}

func (s *SessionStore) Revoke(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteLocked(id)
}

// Logout ends the caller's session.
func (s *SessionStore) Logout(id string) {
	// BUG(MG105): deleteLocked requires s.mu, and Logout does not take it:
	// a logout racing a login is "fatal error: concurrent map writes".
	s.deleteLocked(id)
}

// Count is the quick session count used by /healthz.
func (s *SessionStore) Count() int {
	// BUG(MG101): s.sessions is guarded by s.mu (declared below it) but read
	// here without it, while logins write the map.
	return len(s.sessions)
}

// Stats reports the count under the lock (for expvar).
func (s *SessionStore) Stats() (count int, oldest time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.sessions {
		if oldest.IsZero() || sess.Created.Before(oldest) {
			oldest = sess.Created
		}
	}
	return len(s.sessions), oldest
}

// janitor expires idle sessions on a ticker.
func (s *SessionStore) janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.mu.Lock()
			s.expireLocked(now)
			s.mu.Unlock()
		}
	}
}
