package auth

import (
	"net/http"
	"sync"
)

var (
	uaMu       sync.Mutex
	userAgents = map[string]int{}
)

// CountUserAgents tallies requests per User-Agent header. The header is chosen
// by the client, so the key set is unbounded.
func CountUserAgents(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uaMu.Lock()
		userAgents[r.UserAgent()]++ // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
		uaMu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// UserAgentCount reports one tally.
func UserAgentCount(ua string) int {
	uaMu.Lock()
	defer uaMu.Unlock()
	return userAgents[ua]
}
