// Package kv is an in-memory store. MG105 (lock-precondition-unmet) reports a
// call to a function whose contract needs a lock (a *Locked name, a "caller
// must hold" doc, a +checklocks annotation) made without that lock.
package kv

import (
	"container/list"
	"net/http"
	"sync"
	"time"
)

type item struct {
	key     string
	val     []byte
	expires time.Time
}

type Cache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

func (c *Cache) evictLocked() {
	for c.ll.Len() > c.max {
		el := c.ll.Back()
		c.ll.Remove(el)
		delete(c.items, el.Value.(*item).key)
	}
}

func (c *Cache) removeLocked(key string) {
	if el, ok := c.items[key]; ok {
		c.ll.Remove(el)
		delete(c.items, key)
	}
}

func (c *Cache) Set(key string, val []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(key)
	c.items[key] = c.ll.PushFront(&item{key: key, val: val, expires: time.Now().Add(ttl)})
	c.evictLocked()
}

// Resize forgot the lock.
func (c *Cache) Resize(max int) {
	c.max = max
	c.evictLocked() // want "evictLocked requires c.mu"
}

// The lock is released before the call.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	_, ok := c.items[key]
	c.mu.Unlock()
	if ok {
		c.removeLocked(key) // want "removeLocked requires c.mu"
	}
}

// An HTTP handler on the cache.
func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodDelete {
		c.removeLocked(r.URL.Path) // want "removeLocked requires c.mu"
		w.WriteHeader(http.StatusNoContent)
		return
	}
	c.mu.Lock()
	el, ok := c.items[r.URL.Path]
	c.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(el.Value.(*item).val)
}

// A goroutine started under the lock does not hold it.
func (c *Cache) SetAsync(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = c.ll.PushFront(&item{key: key, val: val})
	go c.evictLocked() // want "evictLocked requires c.mu"
}

// A timer callback runs later on its own goroutine.
func (c *Cache) ExpireIn(key string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.AfterFunc(d, func() {
		c.removeLocked(key) // want "removeLocked requires c.mu"
	})
}

// The lock may have been released on one branch.
func (c *Cache) Trim(force bool) {
	c.mu.Lock()
	if !force && c.ll.Len() <= c.max {
		c.mu.Unlock()
	}
	c.evictLocked() // want "evictLocked requires c.mu"
	if force || c.ll.Len() > c.max {
		c.mu.Unlock()
	}
}

// Locking the other cache does not lock this one.
func (c *Cache) MoveTo(dst *Cache, key string) {
	dst.mu.Lock()
	defer dst.mu.Unlock()
	if el, ok := c.items[key]; ok {
		dst.items[key] = dst.ll.PushFront(el.Value)
		c.removeLocked(key) // want "removeLocked requires c.mu"
	}
}

// The lock is held only inside the loop body.
func (c *Cache) SetMany(kv map[string][]byte) {
	for k, v := range kv {
		c.mu.Lock()
		c.items[k] = c.ll.PushFront(&item{key: k, val: v})
		c.mu.Unlock()
	}
	c.evictLocked() // want "evictLocked requires c.mu"
}
