// Package syncs wraps sync's mutexes, as larger code bases do (for lock-order
// checks or contention metrics).
package syncs

import "sync"

type Mutex struct {
	mu sync.Mutex
}

func (m *Mutex) Lock()   { m.mu.Lock() }
func (m *Mutex) Unlock() { m.mu.Unlock() }
