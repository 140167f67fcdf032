package kv

import "time"

func (th *Throttle) allowLocked(key string, now time.Time, every time.Duration) bool {
	if t, ok := th.last[key]; ok && now.Sub(t) < every {
		return false
	}
	th.last[key] = now
	return true
}

// Silent: the lock is held here.
func (th *Throttle) AllowSafe(key string, every time.Duration) bool {
	th.mu.Lock()
	defer th.mu.Unlock()
	return th.allowLocked(key, time.Now(), every)
}
