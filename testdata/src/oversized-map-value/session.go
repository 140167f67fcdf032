// Package store keeps domain records in maps; MG401 (oversized-map-value)
// flags the map types whose keys or values exceed 128 bytes.
package store

import "time"

// Session is declared in this file and used as a map value in sessions.go.
type Session struct {
	ID        string
	UserID    int64
	Roles     []string
	Claims    map[string]any
	CSRFToken [32]byte
	IssuedAt  time.Time
	ExpiresAt time.Time
	RemoteIP  string
	UserAgent string
	Scopes    []string
}
