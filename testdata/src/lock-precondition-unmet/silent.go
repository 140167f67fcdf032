package kv

import (
	"container/list"
	"sync"
	"time"
)

// Silent: constructors call *Locked helpers on a value nobody else has yet.
func NewCache(max int, seed map[string][]byte) *Cache {
	c := &Cache{max: max, ll: list.New(), items: make(map[string]*list.Element)}
	for k, v := range seed {
		c.items[k] = c.ll.PushFront(&item{key: k, val: v})
	}
	c.evictLocked()
	return c
}

// Silent: a *Locked function may call another.
func (c *Cache) replaceLocked(key string, val []byte) {
	c.removeLocked(key)
	c.items[key] = c.ll.PushFront(&item{key: key, val: val})
	c.evictLocked()
}

// purgeExpired drops expired items. Caller must hold c.mu.
func (c *Cache) purgeExpired(now time.Time) {
	for k, el := range c.items {
		if now.After(el.Value.(*item).expires) {
			c.removeLocked(k) // silent: the documented contract carries the lock
		}
	}
}

// Silent: a closure called in place under the lock.
func (c *Cache) Janitor(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	func() {
		c.purgeExpired(now)
		c.evictLocked()
	}()
}

// Silent: a local alias of the mutex.
func (c *Cache) Replace(key string, val []byte) {
	mu := &c.mu
	mu.Lock()
	defer mu.Unlock()
	c.replaceLocked(key, val)
}

// Silent: deferred calls run last-in first-out, so evictLocked runs before
// the deferred Unlock.
func (c *Cache) Put(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.evictLocked()
	c.items[key] = c.ll.PushFront(&item{key: key, val: val})
}

// Silent: TryLock succeeded.
func (c *Cache) MaybeEvict() bool {
	if !c.mu.TryLock() {
		return false
	}
	defer c.mu.Unlock()
	c.evictLocked()
	return true
}

// Silent: early return that unlocks, then the call with the lock held.
func (c *Cache) Shrink(max int) {
	c.mu.Lock()
	if max >= c.max {
		c.mu.Unlock()
		return
	}
	c.max = max
	c.evictLocked()
	c.mu.Unlock()
}

// Silent: the embedded mutex, write-locked.
func (t *Table) InsertSafe(id int64, row []byte) {
	t.Lock()
	defer t.Unlock()
	t.insertLocked(id, row)
}

// countLocked only reads; the read lock satisfies it.
func (t *Table) countLocked() int { return len(t.rows) }

func (t *Table) Count() int {
	t.RLock()
	defer t.RUnlock()
	return t.countLocked()
}

// Silent: init runs before anything is shared.
func init() {
	addBackendLocked("default", "127.0.0.1:8080")
}

// Silent: the package lock held.
func AddBackendSafe(name, addr string) {
	regMu.Lock()
	defer regMu.Unlock()
	addBackendLocked(name, addr)
}

// Silent: "Locked" here is about accounts, not mutexes; Account has no lock.
type Account struct {
	ID       string
	failures int
	until    time.Time
}

func (a *Account) Locked() bool { return time.Now().Before(a.until) }

func (a *Account) isLocked(now time.Time) bool { return now.Before(a.until) }

func Login(a *Account, ok bool) bool {
	if a.Locked() || a.isLocked(time.Now()) {
		return false
	}
	if !ok {
		a.failures++
	}
	return ok
}

// Silent: the helper's type has no mutex; which lock it needs is not known.
type segment struct {
	index map[string]int64
}

func (s *segment) appendLocked(key string, off int64) { s.index[key] = off }

type Log struct {
	mu  sync.Mutex
	seg *segment
}

func (l *Log) Append(key string, off int64) {
	l.seg.appendLocked(key, off)
}

// Silent: a sync.Locker field.
type Queue struct {
	lk    sync.Locker
	items map[string]int
}

func (q *Queue) bumpLocked(k string) { q.items[k]++ }

func (q *Queue) Bump(k string) {
	q.lk.Lock()
	q.bumpLocked(k)
	q.lk.Unlock()
}

// Silent: both rebalance and recordMove with their locks.
func (r *Ring) Move(node string, weight int) {
	r.mu.Lock()
	r.nodes[node] = weight
	r.rebalance()
	r.mu.Unlock()

	r.statsMu.Lock()
	r.recordMove(node)
	r.statsMu.Unlock()
}

// Silent: the …Locked helper works on its parameter's maps, whose lock the
// caller holds; the receiver's lock is not what it needs.
type NAT struct {
	mu       sync.Mutex
	mappings []*Mapping
}

type Mapping struct {
	mu    sync.Mutex
	addrs map[string]time.Time
}

func (n *NAT) verifyExistingLocked(m *Mapping) {
	for a, t := range m.addrs {
		if time.Since(t) > time.Hour {
			delete(m.addrs, a)
		}
	}
}

func (n *NAT) Update(m *Mapping) {
	m.mu.Lock()
	n.verifyExistingLocked(m)
	m.mu.Unlock()
}

// Silent: wrapper methods take the lock the helper needs.
type Drive struct {
	sharesMu sync.Mutex
	shares   map[string]string
}

func (d *Drive) lockShares()   { d.sharesMu.Lock() }
func (d *Drive) unlockShares() { d.sharesMu.Unlock() }

// clearSharesLocked needs d.sharesMu held.
func (d *Drive) clearSharesLocked() { clear(d.shares) }

func (d *Drive) SetShares(s map[string]string) {
	d.lockShares()
	defer d.unlockShares()
	d.clearSharesLocked()
	for k, v := range s {
		d.shares[k] = v
	}
}
