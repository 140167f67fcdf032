package auth

import (
	"sync"
	"time"
)

var (
	loginMu      sync.Mutex
	activeLogins = map[string]string{}
	loginIPs     = map[string]string{}
)

// startLogin remembers the client's address; logout forgets the login but not the address.
func startLogin(token, user, ip string) {
	loginMu.Lock()
	defer loginMu.Unlock()
	activeLogins[token] = user
	loginIPs[token] = ip // want "map loginIPs only grows: .* delete\\(activeLogins, token\\) in logout"
}

func logout(token string) {
	loginMu.Lock()
	defer loginMu.Unlock()
	delete(activeLogins, token)
}

var (
	openConns   = map[int]string{}
	connOpened  = map[int]time.Time{}
	connCounter int
)

func trackConn(addr string) int {
	loginMu.Lock()
	defer loginMu.Unlock()
	connCounter++
	openConns[connCounter] = addr
	connOpened[connCounter] = time.Now() // want "map connOpened only grows"
	return connCounter
}

func closeConn(connCounter int) {
	loginMu.Lock()
	defer loginMu.Unlock()
	delete(openConns, connCounter)
}
