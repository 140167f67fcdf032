package auth

import (
	"sync"
	"time"
)

// Silent: tokens are added here and deleted in tokens_gc.go (same package,
// another file).
var (
	tokensMu sync.Mutex
	tokens   = map[string]time.Time{} // token -> expiry
)

func issueToken(tok string, ttl time.Duration) {
	tokensMu.Lock()
	tokens[tok] = time.Now().Add(ttl)
	tokensMu.Unlock()
}

func validToken(tok string) bool {
	tokensMu.Lock()
	defer tokensMu.Unlock()
	exp, ok := tokens[tok]
	return ok && time.Now().Before(exp)
}
