package api

import (
	"context"
	"sync"
	"time"
)

type cacheEntry struct {
	val     []byte
	expires time.Time
}

// Cache embeds its RWMutex: c.Lock() guards entries.
type Cache struct {
	sync.RWMutex
	entries map[string]cacheEntry
}

// NewCache starts the janitor in its own goroutine.
func NewCache(ctx context.Context) *Cache {
	c := &Cache{entries: make(map[string]cacheEntry)}
	go c.janitor(ctx)
	return c
}

func (c *Cache) Get(k string) ([]byte, bool) {
	c.RLock()
	defer c.RUnlock()
	e, ok := c.entries[k]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.val, true
}

func (c *Cache) Set(k string, v []byte, ttl time.Duration) {
	c.Lock()
	c.entries[k] = cacheEntry{val: v, expires: time.Now().Add(ttl)}
	c.Unlock()
}

// The janitor runs on a ticker and forgot to lock.
func (c *Cache) janitor(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for k, e := range c.entries { // want "c.entries is guarded by"
				if now.After(e.expires) {
					delete(c.entries, k) // want "c.entries is guarded by"
				}
			}
		}
	}
}

// Silent: the embedded mutex locked through the promoted method.
func (c *Cache) Len() int {
	c.RLock()
	defer c.RUnlock()
	return len(c.entries)
}
