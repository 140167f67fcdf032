package edge

import "time"

func (s *SessionStore) sweep(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, last := range s.sessions {
		if now.Sub(last) > s.ttl {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}
