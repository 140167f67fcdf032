package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"sync"
	"time"
)

// users is the (tiny, read-only) account database.
var users = map[string][sha256.Size]byte{
	"alice": sha256.Sum256([]byte("wonderland")),
	"bob":   sha256.Sum256([]byte("builder")),
}

const maxFailures = 5

var (
	failuresMu    sync.Mutex
	loginFailures = map[string]int{}       // user name -> failed attempts
	lastFailure   = map[string]time.Time{} // user name -> last failed attempt, for Retry-After
)

func checkPassword(user, pass string) bool {
	want, ok := users[user]
	got := sha256.Sum256([]byte(pass))
	return ok && subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// recordFailure counts a failed login. The user name comes from the client.
func recordFailure(user string) {
	failuresMu.Lock()
	loginFailures[user]++
	// BUG(MG201): forgetFailures drops the count on a good login but not this
	// timestamp, so lastFailure keeps every user name ever tried (and -load
	// sends a new one each time).
	lastFailure[user] = time.Now()
	failuresMu.Unlock()
}

// forgetFailures clears a user's failed attempts after a good login.
func forgetFailures(user string) {
	failuresMu.Lock()
	delete(loginFailures, user)
	failuresMu.Unlock()
}

func lockedOut(user string) bool {
	failuresMu.Lock()
	defer failuresMu.Unlock()
	return loginFailures[user] >= maxFailures
}

func loginFailureCount() int {
	failuresMu.Lock()
	defer failuresMu.Unlock()
	return len(loginFailures)
}
