package edge

import (
	"sync"
	"time"
)

type Member struct{ Name string }

// Room lets members leave, but remembers when every member ever joined.
type Room struct {
	mu       sync.RWMutex
	members  map[string]*Member
	joinedAt map[string]time.Time
}

func (r *Room) Join(user string, m *Member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members[user] = m
	if _, ok := r.joinedAt[user]; !ok {
		r.joinedAt[user] = time.Now() // want "Room.joinedAt only grows"
	}
}

func (r *Room) Leave(user string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, user)
}
