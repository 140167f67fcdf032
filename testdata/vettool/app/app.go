// Package app uses store's types across the package boundary.
package app

import (
	"sync"

	"example.com/vettool/store"
)

// Server keeps per-user indexes.
type Server struct {
	users map[string]*store.Index
	cache sync.Map
}

// New makes a server.
func New() *Server { return &Server{users: map[string]*store.Index{}} }

// Add indexes an entry under a user.
func (s *Server) Add(user string, e store.Entry) {
	ix := store.NewIndex()
	ix.Put(e)
	s.users[user] = ix
}

var byID = map[int]store.Entry{}

// Keep remembers an entry by id; the value type comes from package store.
func Keep(id int, e store.Entry) { byID[id] = e }

// Lookup loads or stores a value in two steps.
func (s *Server) Lookup(k string) any {
	if v, ok := s.cache.Load(k); ok {
		return v
	}
	s.cache.Store(k, k)
	return k
}

// Squares fills a map in a loop of known length; MG402 is ignored by mapguard.toml.
func Squares(n []int) map[int]int {
	out := map[int]int{}
	for _, v := range n {
		out[v] = v * v
	}
	return out
}

var quiet = map[string]int{}

// Quiet grows a map but says why that is fine.
func Quiet(k string) {
	quiet[k]++ //mapguard:ignore MG201 keys are the handful of configured regions
}
