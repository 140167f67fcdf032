// Package cdn is an edge cache. MG102 (map-write-under-read-lock) reports map
// writes made while only the read side of an RWMutex is held: readers run in
// parallel, so two of them writing is "concurrent map writes".
package cdn

import (
	"maps"
	"net/http"
	"sync"
	"time"
)

type object struct {
	body    []byte
	expires time.Time
}

type Cache struct {
	mu      sync.RWMutex
	objects map[string]*object
	hits    map[string]int
	misses  map[string]int
	bytes   map[string]int64
	fetch   func(key string) (*object, error)
}

// Get fills the cache under the read lock.
func (c *Cache) Get(key string) (*object, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if o, ok := c.objects[key]; ok && time.Now().Before(o.expires) {
		c.hits[key]++ // want "c.hits written while only"
		return o, nil
	}
	o, err := c.fetch(key)
	if err != nil {
		return nil, err
	}
	c.objects[key] = o // want "c.objects written while only"
	return o, nil
}

// Peek deletes expired entries it happens to see.
func (c *Cache) Peek(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o, ok := c.objects[key]
	if !ok {
		c.misses[key] += 1 // want "c.misses written while only"
		return nil, false
	}
	if time.Now().After(o.expires) {
		delete(c.objects, key) // want "c.objects written while only"
		return nil, false
	}
	return o.body, true
}

// Account adds transferred bytes in a read-path handler.
func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.RLock()
	o, ok := c.objects[r.URL.Path]
	if ok {
		c.bytes[r.URL.Path] += int64(len(o.body)) // want "c.bytes written while only"
	}
	c.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(o.body)
}

// ResetStats clears under the read lock.
func (c *Cache) ResetStats() {
	c.mu.RLock()
	clear(c.hits) // want "c.hits written while only"
	c.mu.RUnlock()
}

// Import copies into the map under the read lock.
func (c *Cache) Import(objs map[string]*object) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	maps.Copy(c.objects, objs) // want "c.objects written while only"
}

// Upgrade gone wrong: the second acquisition should have been Lock.
func (c *Cache) Refresh(key string) error {
	c.mu.RLock()
	_, ok := c.objects[key]
	c.mu.RUnlock()
	if ok {
		return nil
	}
	o, err := c.fetch(key)
	if err != nil {
		return err
	}
	c.mu.RLock()
	c.objects[key] = o // want "c.objects written while only"
	c.mu.RUnlock()
	return nil
}

// Sweep deletes while iterating under the read lock.
func (c *Cache) Sweep(now time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k, o := range c.objects {
		if now.After(o.expires) {
			delete(c.objects, k) // want "c.objects written while only"
		}
	}
}
