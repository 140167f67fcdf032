package registry

import (
	"context"
	"sync"
	"time"
)

// Stored into another long-lived struct.
type Snapshot struct {
	Taken  time.Time
	Health map[string]bool
}

type Checker struct {
	mu     sync.Mutex
	health map[string]bool
	last   *Snapshot
	out    chan map[string]bool
	events chan Snapshot
}

func (c *Checker) Record(addr string, ok bool) {
	c.mu.Lock()
	c.health[addr] = ok
	c.mu.Unlock()
}

func (c *Checker) snapshot() {
	c.mu.Lock()
	defer c.mu.Unlock()
	snap := &Snapshot{Taken: time.Now()}
	snap.Health = c.health // want "guarded map c.health"
	c.last = snap
}

// Sent on a channel to another goroutine.
func (c *Checker) publish(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.out <- c.health: // want "guarded map c.health"
	case <-ctx.Done():
	}
}

// Sent inside a struct value.
func (c *Checker) notify() {
	c.mu.Lock()
	ev := Snapshot{Taken: time.Now(), Health: c.health} // want "guarded map c.health"
	c.mu.Unlock()
	c.events <- ev
}

// Stored in a package-level variable.
var lastHealth map[string]bool

func (c *Checker) export() {
	c.mu.Lock()
	lastHealth = c.health // want "guarded map c.health"
	c.mu.Unlock()
}

// Appended to a slice that outlives the lock.
func (c *Checker) history(prev []map[string]bool) []map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append(prev, c.health) // want "guarded map c.health"
}

// Embedded RWMutex.
type Config struct {
	sync.RWMutex
	values map[string]string
}

func (cf *Config) Set(k, v string) {
	cf.Lock()
	cf.values[k] = v
	cf.Unlock()
}

func (cf *Config) All() map[string]string {
	cf.RLock()
	defer cf.RUnlock()
	return cf.values // want "returns guarded map cf.values"
}

// A package-level map guarded by a package-level mutex.
var (
	pluginsMu sync.Mutex
	plugins   = map[string]func() error{}
)

func RegisterPlugin(name string, init func() error) {
	pluginsMu.Lock()
	plugins[name] = init
	pluginsMu.Unlock()
}

func Plugins() map[string]func() error {
	pluginsMu.Lock()
	defer pluginsMu.Unlock()
	return plugins // want "returns guarded map plugins"
}

// Guard from an annotation.
type Quotas struct {
	limits map[string]int // guarded by mu
	mu     sync.Mutex
}

func (q *Quotas) SetLimit(t string, n int) {
	q.mu.Lock()
	q.limits[t] = n
	q.mu.Unlock()
}

func (q *Quotas) Limits() map[string]int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.limits // want "returns guarded map q.limits"
}

// Guard inferred from the accesses: the map is declared before the mutex
// with no annotation, and every other access holds q.mu.
type Tracker struct {
	seen map[string]time.Time
	mu   sync.Mutex
}

func (t *Tracker) Mark(id string) {
	t.mu.Lock()
	t.seen[id] = time.Now()
	t.mu.Unlock()
}

func (t *Tracker) Forget(id string) {
	t.mu.Lock()
	delete(t.seen, id)
	t.mu.Unlock()
}

func (t *Tracker) Has(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.seen[id]
	return ok
}

func (t *Tracker) Count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.seen)
}

func (t *Tracker) Seen() map[string]time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen // want "returns guarded map t.seen"
}

// Handed to a goroutine started while the lock is held.
func (t *Tracker) Persist(save func(map[string]time.Time)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	go save(t.seen) // want "guarded map t.seen"
}
