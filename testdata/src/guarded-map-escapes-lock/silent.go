package registry

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type Catalog struct {
	mu     sync.RWMutex
	prices map[string]int64
	stock  map[string]int
	tags   map[string][]string
}

func (c *Catalog) SetPrice(sku string, p int64) {
	c.mu.Lock()
	c.prices[sku] = p
	c.stock[sku]++
	c.tags[sku] = nil
	c.mu.Unlock()
}

// Silent: a clone leaves, not the guarded map.
func (c *Catalog) Prices() map[string]int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return maps.Clone(c.prices)
}

// Silent: a copy built in a loop.
func (c *Catalog) Stock() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]int, len(c.stock))
	for k, v := range c.stock {
		out[k] = v
	}
	return out
}

// Silent: an element, not the map.
func (c *Catalog) Price(sku string) (int64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.prices[sku]
	return p, ok
}

// Silent: the length.
func (c *Catalog) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.prices)
}

// Silent: a sorted slice of keys.
func (c *Catalog) SKUs() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.prices))
	for k := range c.prices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Silent: encoded while the lock is held; passing to a call is not an escape
// for this rule.
func (c *Catalog) WriteJSON(w io.Writer) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return json.NewEncoder(w).Encode(c.prices)
}

// Silent: formatted under the lock.
func (c *Catalog) String() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return fmt.Sprint(c.stock)
}

// Silent: ownership transfer. The old map is swapped out under the lock and
// no longer reachable from c, so handing it out is safe.
func (c *Catalog) DrainStock() map[string]int {
	c.mu.Lock()
	old := c.stock
	c.stock = make(map[string]int)
	c.mu.Unlock()
	return old
}

// Silent: storing a new map into the guarded field is the other direction.
func (c *Catalog) ReplacePrices(next map[string]int64) {
	c.mu.Lock()
	c.prices = next
	c.mu.Unlock()
}

// Silent: a *Locked helper returns the map to a caller that holds the lock
// and uses it there.
func (c *Catalog) tagsLocked() map[string][]string { return c.tags }

func (c *Catalog) Tag(sku, tag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tagsLocked()
	t[sku] = append(t[sku], tag)
}

// Silent: a clone sent on a channel.
func (c *Catalog) Publish(ch chan<- map[string]int64) {
	c.mu.RLock()
	snap := maps.Clone(c.prices)
	c.mu.RUnlock()
	ch <- snap
}

// Silent: a local map with the same name as a field.
func (c *Catalog) Discounted(pct int64) map[string]int64 {
	prices := make(map[string]int64)
	c.mu.RLock()
	for k, v := range c.prices {
		prices[k] = v * (100 - pct) / 100
	}
	c.mu.RUnlock()
	return prices
}

// Silent: an immutable config map with no lock anywhere.
type Settings struct {
	env map[string]string
}

func NewSettings(env map[string]string) *Settings { return &Settings{env: maps.Clone(env)} }

func (s *Settings) Env() map[string]string { return s.env }

// Silent: copy-on-write. The published map is never written again.
type Aliases struct {
	mu  sync.Mutex
	cur atomic.Pointer[map[string]string]
}

func (a *Aliases) Set(k, v string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	next := map[string]string{}
	if p := a.cur.Load(); p != nil {
		next = maps.Clone(*p)
	}
	next[k] = v
	a.cur.Store(&next)
}

func (a *Aliases) All() map[string]string {
	if p := a.cur.Load(); p != nil {
		return *p
	}
	return nil
}

// Silent: a constructor returns the struct that owns a fresh map.
type Window struct {
	mu     sync.Mutex
	counts map[string]int
	start  time.Time
}

func NewWindow() *Window {
	counts := make(map[string]int)
	return &Window{counts: counts, start: time.Now()}
}

// Silent: the swapped-out map is returned after the field is replaced, the
// flush idiom of metric windows.
func (w *Window) Flush() (map[string]int, time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	counts, start := w.counts, w.start
	w.counts = make(map[string]int, len(counts))
	w.start = time.Now()
	return counts, start
}

func (w *Window) Inc(k string) {
	w.mu.Lock()
	w.counts[k]++
	w.mu.Unlock()
}

// Silent: the map moves to another field the same lock guards.
type Policy struct {
	mu      sync.Mutex
	reading map[string]string
	writing map[string]string
}

func (p *Policy) Commit() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reading = p.writing
	p.writing = map[string]string{}
}

func (p *Policy) Lookup(k string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reading[k]
}

func (p *Policy) Stage(k, v string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writing[k] = v
}
