package auth

import (
	"net/http"
	"sync"
)

var (
	seenMu         sync.Mutex
	seenRequestIDs = make(map[string]struct{})
)

// Idempotent drops retried requests by their X-Request-ID. Every ID ever seen
// is remembered for the life of the process.
func Idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			next.ServeHTTP(w, r)
			return
		}
		seenMu.Lock()
		_, dup := seenRequestIDs[id]
		if !dup {
			seenRequestIDs[id] = struct{}{} // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
		}
		seenMu.Unlock()
		if dup {
			w.WriteHeader(http.StatusConflict)
			return
		}
		next.ServeHTTP(w, r)
	})
}
