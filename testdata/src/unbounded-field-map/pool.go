package edge

import "sync"

type connState int

const (
	stateIdle connState = iota
	stateActive
	stateDraining
	stateClosed
)

// Silent: keyed by a constant enum of four states.
type PoolStats struct {
	mu      sync.Mutex
	byState map[connState]int
	totals  map[string]uint64
}

func (p *PoolStats) transition(from, to connState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byState[from]--
	p.byState[to]++
}

// Silent: constant keys only.
func (p *PoolStats) countDial(ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ok {
		p.totals["dials"]++
		return
	}
	p.totals["dial_errors"]++
}
