// Package api is an HTTP/RPC backend. MG101 (inconsistent-map-locking)
// reports accesses to a map without the lock that guards it elsewhere.
package api

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

type Session struct {
	User    string
	Expires time.Time
}

// Server's mu protects the fields below it (layout convention).
type Server struct {
	mu       sync.Mutex
	sessions map[string]*Session
	peers    map[string]time.Time

	// Set in NewServer and read-only afterwards; not guarded by mu (a blank
	// line ends mu's block).
	routes map[string]http.HandlerFunc
}

func NewServer() *Server {
	s := &Server{
		sessions: make(map[string]*Session),
		peers:    make(map[string]time.Time),
		routes:   make(map[string]http.HandlerFunc),
	}
	// Silent: the value is not shared yet.
	s.sessions["healthcheck"] = &Session{User: "probe", Expires: time.Now().Add(time.Hour)}
	s.routes["/login"] = s.handleLogin
	s.routes["/logout"] = s.handleLogout
	s.routes["/whoami"] = s.handleWhoAmI
	s.routes["/debug/peers"] = s.handlePeers
	return s
}

// Silent: routes is not guarded.
// Admin runs the maintenance helpers below for the admin endpoint.
func (s *Server) Admin(id, peer string, ids []string) int {
	s.renew(id, time.Minute)
	s.handleOnce(id, func() {})
	s.touch(peer)
	s.recordPeer(peer, true)
	s.expireLater(id, time.Minute)
	s.forgetPeerLater(peer)
	s.dropAll(ids)
	s.lookup(id)
	return s.activeSessions() + s.countPeers()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, ok := s.routes[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	s.mu.Lock()
	s.sessions[id] = &Session{User: r.FormValue("user"), Expires: time.Now().Add(time.Hour)}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleWhoAmI(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("sid")
	if err != nil {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[c.Value]
	if !ok {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	json.NewEncoder(w).Encode(sess)
}

// The logout handler forgot the lock.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("sid"); err == nil {
		delete(s.sessions, c.Value) // want "s.sessions is guarded by s.mu"
	}
	w.WriteHeader(http.StatusNoContent)
}

// A read without the lock is a race too: "concurrent map read and map write".
func (s *Server) activeSessions() int {
	return len(s.sessions) // want "s.sessions is guarded by s.mu"
}

func (s *Server) heartbeat(peer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peers[peer] = time.Now()
}

// Ranging without the lock.
func (s *Server) handlePeers(w http.ResponseWriter, r *http.Request) {
	out := make([]string, 0)
	for p := range s.peers { // want "s.peers is guarded by s.mu"
		out = append(out, p)
	}
	json.NewEncoder(w).Encode(out)
}

// The lock is released before the write.
func (s *Server) renew(id string, d time.Duration) bool {
	s.mu.Lock()
	sess, ok := s.sessions[id]
	s.mu.Unlock()
	if !ok {
		return false
	}
	s.sessions[id] = &Session{User: sess.User, Expires: time.Now().Add(d)} // want "s.sessions is guarded by s.mu"
	return true
}

// Silent: early return that unlocks, then the write with the lock held.
func (s *Server) touch(peer string) {
	s.mu.Lock()
	if _, ok := s.peers[peer]; !ok {
		s.mu.Unlock()
		return
	}
	s.peers[peer] = time.Now()
	s.mu.Unlock()
}

// Silent: the lock is taken on one branch only. A flag like this usually means
// "the caller already holds it" (nats-server's needLock), which the tool cannot
// check, so after the if the lock state is unknown rather than "not held".
func (s *Server) recordPeer(peer string, strict bool) {
	if strict {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.peers[peer] = time.Now()
}

// The goroutine does not hold the lock its spawner holds.
func (s *Server) expireLater(id string, after time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[id]; !ok {
		return
	}
	go func() {
		time.Sleep(after)
		delete(s.sessions, id) // want "s.sessions is guarded by s.mu"
	}()
}

// A callback passed to time.AfterFunc runs later, on its own goroutine.
func (s *Server) forgetPeerLater(peer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.AfterFunc(time.Minute, func() {
		delete(s.peers, peer) // want "s.peers is guarded by s.mu"
	})
}

// Silent: a closure called in place runs with the caller's lock state.
func (s *Server) dropAll(ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	func() {
		for _, id := range ids {
			delete(s.sessions, id)
		}
	}()
}

// Silent: the lock is taken inside a closure that is called in place.
func (s *Server) lookup(id string) (sess *Session, ok bool) {
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		sess, ok = s.sessions[id]
	}()
	return sess, ok
}

// A deferred closure runs after the explicit Unlock.
func (s *Server) handleOnce(id string, work func()) {
	s.mu.Lock()
	s.sessions[id] = &Session{User: "job"}
	s.mu.Unlock()
	defer func() {
		delete(s.sessions, id) // want "s.sessions is guarded by s.mu"
	}()
	work()
}

// Silent: a local alias of the mutex.
func (s *Server) countPeers() int {
	mu := &s.mu
	mu.Lock()
	defer mu.Unlock()
	return len(s.peers)
}
