package auth

import (
	"sync"
	"time"
)

var (
	leaseMu sync.Mutex
	leases  = map[string]time.Time{}
)

// Silent: the map is handed to pruneExpired, which deletes from it.
func acquireLease(holder string, ttl time.Duration) {
	leaseMu.Lock()
	defer leaseMu.Unlock()
	now := time.Now()
	pruneExpired(leases, now)
	leases[holder] = now.Add(ttl)
}

func pruneExpired(m map[string]time.Time, now time.Time) {
	for k, exp := range m {
		if exp.Before(now) {
			delete(m, k)
		}
	}
}

var (
	nonceMu sync.Mutex
	nonces  = map[string]bool{}
)

func useNonce(n string) bool {
	nonceMu.Lock()
	defer nonceMu.Unlock()
	if nonces[n] {
		return false
	}
	nonces[n] = true
	return true
}

// Silent: cleared wholesale when the signing key rotates.
func rotateSigningKey() {
	nonceMu.Lock()
	clear(nonces)
	nonceMu.Unlock()
}

// Silent: a local map that shadows the package-level name. Writes to it are
// not writes to the package var.
func parseScopes(raw []string) map[string]bool {
	nonces := make(map[string]bool, len(raw))
	for _, s := range raw {
		nonces[s] = true
	}
	return nonces
}
