package edge

import (
	"sync"
	"time"
)

type Peer struct{ Addr string }

// Tracker forgets a peer on disconnect but keeps when it was last seen.
type Tracker struct {
	mu       sync.Mutex
	peers    map[string]*Peer
	lastSeen map[string]time.Time
}

func (t *Tracker) Seen(id string, p *Peer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.peers[id] = p
	t.lastSeen[id] = time.Now() // want "Tracker.lastSeen only grows: .* delete\\(t.peers, id\\) in \\(\\*Tracker\\).Forget"
}

func (t *Tracker) Forget(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.peers, id)
}
