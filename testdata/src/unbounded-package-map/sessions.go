// Package auth is a login service whose package-level state is the subject of
// MG201 (unbounded-package-map).
package auth

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Session is what a logged-in user carries between requests.
type Session struct {
	UserID    string
	CreatedAt time.Time
}

var (
	sessionsMu sync.Mutex
	sessions   = map[string]*Session{}
)

// Server handles logins.
type Server struct {
	checkPassword func(user, pass string) bool
}

// Handle logs a user in and hands out a session cookie. Sessions are never
// expired or removed on logout, so the map grows with every login.
func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || !s.checkPassword(user, pass) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	id := hex.EncodeToString(raw[:])

	sessionsMu.Lock()
	sessions[id] = &Session{UserID: user, CreatedAt: time.Now()} // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
	sessionsMu.Unlock()

	http.SetCookie(w, &http.Cookie{Name: "sid", Value: id, HttpOnly: true})
}

// lookupSession reads the map; reads never make it grow.
func lookupSession(id string) (*Session, bool) {
	sessionsMu.Lock()
	defer sessionsMu.Unlock()
	s, ok := sessions[id]
	return s, ok
}
