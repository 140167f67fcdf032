package auth

import (
	"sync"
	"time"
)

type heartbeat struct {
	Host string
	At   time.Time
}

var (
	lastSeenMu sync.RWMutex
	lastSeen   = make(map[string]time.Time)
)

// trackHeartbeats runs in its own goroutine for the life of the process.
// Hosts that are decommissioned keep their entry forever.
func trackHeartbeats(events <-chan heartbeat) {
	for ev := range events {
		lastSeenMu.Lock()
		lastSeen[ev.Host] = ev.At // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
		lastSeenMu.Unlock()
	}
}

func isAlive(host string, now time.Time) bool {
	lastSeenMu.RLock()
	defer lastSeenMu.RUnlock()
	t, ok := lastSeen[host]
	return ok && now.Sub(t) < time.Minute
}
