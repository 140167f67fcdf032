package cdn

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

type Index struct {
	mu    sync.RWMutex
	byKey map[string]*entry

	statsMu sync.Mutex
	reads   map[string]int // guarded by statsMu
}

type entry struct {
	val  []byte
	hits atomic.Int64
}

// Silent: reads only under RLock.
func (x *Index) Get(k string) ([]byte, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	e, ok := x.byKey[k]
	if !ok {
		return nil, false
	}
	return e.val, true
}

// Silent: the write lock for writes.
func (x *Index) Put(k string, v []byte) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.byKey[k] = &entry{val: v}
}

// Silent: double-checked locking done right.
func (x *Index) GetOrCreate(k string, mk func() []byte) []byte {
	x.mu.RLock()
	e, ok := x.byKey[k]
	x.mu.RUnlock()
	if ok {
		return e.val
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if e, ok := x.byKey[k]; ok {
		return e.val
	}
	e = &entry{val: mk()}
	x.byKey[k] = e
	return e.val
}

// Silent: updating the pointed-to entry is not a map write.
func (x *Index) Touch(k string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if e, ok := x.byKey[k]; ok {
		e.hits.Add(1)
	}
}

// Silent: reads is guarded by statsMu, held exclusively.
func (x *Index) Count(k string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if _, ok := x.byKey[k]; ok {
		x.statsMu.Lock()
		x.reads[k]++
		x.statsMu.Unlock()
	}
}

// Silent: the write goes to a local copy.
func (x *Index) Snapshot() map[string][]byte {
	out := make(map[string][]byte)
	x.mu.RLock()
	for k, e := range x.byKey {
		out[k] = e.val
	}
	x.mu.RUnlock()
	return out
}

// Silent: maps.Clone under RLock, then writes to the clone.
func (x *Index) With(k string, v []byte) map[string]*entry {
	x.mu.RLock()
	c := maps.Clone(x.byKey)
	x.mu.RUnlock()
	c[k] = &entry{val: v}
	return c
}

// Silent: RUnlock then Lock before the write.
func (x *Index) Expire(k string, now time.Time, ttl time.Duration) {
	x.mu.RLock()
	_, ok := x.byKey[k]
	x.mu.RUnlock()
	if !ok {
		return
	}
	x.mu.Lock()
	delete(x.byKey, k)
	x.mu.Unlock()
}

// Silent: a *Locked helper called with the write lock.
func (x *Index) putLocked(k string, v []byte) {
	x.byKey[k] = &entry{val: v}
}

func (x *Index) PutMany(kv map[string][]byte) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for k, v := range kv {
		x.putLocked(k, v)
	}
}

// Silent: a sync.Map's Store is not a map write.
type Sessions struct {
	mu   sync.RWMutex
	live sync.Map
	meta map[string]string
}

func (s *Sessions) Track(id string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.meta[id]; ok {
		s.live.Store(id, time.Now())
	}
}

// Silent: the embedded RWMutex write-locked.
type Routes struct {
	sync.RWMutex
	table map[string]string
}

func (r *Routes) Set(path, backend string) {
	r.Lock()
	r.table[path] = backend
	r.Unlock()
}

func (r *Routes) Lookup(path string) string {
	r.RLock()
	defer r.RUnlock()
	return r.table[path]
}

// Silent: filling a freshly allocated struct while reading under RLock.
type Report struct {
	byTenant map[string]int
}

func (r *Routes) Report() *Report {
	rep := &Report{byTenant: map[string]int{}}
	r.RLock()
	defer r.RUnlock()
	for _, b := range r.table {
		rep.byTenant[b]++
	}
	return rep
}

// Silent: a plain Mutex has no read side.
type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *Counter) Inc(k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

// Silent: the write lock is held on the map's own mutex; the RLock is on a
// different one.
type Mirror struct {
	cfgMu sync.RWMutex
	cfg   map[string]string

	mu    sync.RWMutex
	cache map[string]string
}

func (m *Mirror) Sync(k string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cfgMu.RLock()
	defer m.cfgMu.RUnlock()
	m.cache[k] = m.cfg[k]
}

// Silent: a write inside a goroutine that takes the write lock itself,
// launched while the read lock is held.
func (m *Mirror) Warm(keys []string) {
	m.cfgMu.RLock()
	defer m.cfgMu.RUnlock()
	for _, k := range keys {
		v := m.cfg[k]
		go func() {
			m.mu.Lock()
			m.cache[k] = v
			m.mu.Unlock()
		}()
	}
}
