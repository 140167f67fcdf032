package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"sync"
)

// users is the (tiny, read-only) account database.
var users = map[string][sha256.Size]byte{
	"alice": sha256.Sum256([]byte("wonderland")),
	"bob":   sha256.Sum256([]byte("builder")),
}

const maxFailures = 5

var (
	failuresMu    sync.Mutex
	loginFailures = map[string]int{} // user name -> failed attempts
)

func checkPassword(user, pass string) bool {
	want, ok := users[user]
	got := sha256.Sum256([]byte(pass))
	return ok && subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// recordFailure counts a failed login. The user name comes from the client.
func recordFailure(user string) {
	failuresMu.Lock()
	// BUG(MG201): entries are added for every user name ever tried and never
	// deleted or reset, so loginFailures grows with each new name an attacker
	// (or -load) sends.
	loginFailures[user]++
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
