package auth

import "sync"

// Level is a closed enum: the map below can hold at most four keys.
type Level uint8

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

var (
	levelMu     sync.Mutex
	levelCounts = map[Level]uint64{}
)

// Silent: keyed by a constant enum.
func countLog(l Level) {
	levelMu.Lock()
	levelCounts[l]++
	levelMu.Unlock()
}

var (
	statsMu sync.Mutex
	stats   = map[string]int64{}
)

const statFailures = "login_failures"

// Silent: every write uses a constant key, so the key set is fixed.
func recordLogin(ok bool) {
	statsMu.Lock()
	defer statsMu.Unlock()
	stats["logins"]++
	if !ok {
		stats[statFailures]++
	}
}
