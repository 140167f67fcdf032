package store

import "sync"

// SessionStore keeps sessions by value: 192 bytes each, stored out of line.
type SessionStore struct {
	mu   sync.RWMutex
	byID map[string]Session // want "values of 192 bytes"
}

func NewSessionStore() *SessionStore {
	return &SessionStore{byID: make(map[string]Session)} // want "values of 192 bytes"
}

func (s *SessionStore) Put(sess Session) {
	s.mu.Lock()
	s.byID[sess.ID] = sess
	s.mu.Unlock()
}

// Silent: parameter and result types do not create maps.
func mergeSessions(dst, src map[string]Session) map[string]Session {
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// Silent: pointers, slices, channels and funcs are one word or three.
type SessionIndex struct {
	byUser   map[int64]*Session
	byRole   map[string][]Session
	watchers map[string]chan Session
	loaders  map[string]func() (Session, error)
	extra    map[string]any
}

// One finding: the outer map's value is a map header pointer (8 bytes); the
// inner map type stores 192-byte values.
type TenantSessions struct {
	perTenant map[string]map[string]Session // want "values of 192 bytes"
}
