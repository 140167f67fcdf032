package main

import (
	"sync"
	"time"
)

// cachedResponse is one rendered catalog page: 144 bytes on amd64.
type cachedResponse struct {
	Status      int
	ContentType string
	ETag        string
	Body        []byte
	StoredAt    time.Time
	Expires     time.Time
	Vary        string
	Encoding    string
}

// BUG(MG401): values of 144 bytes are over the runtime's 128-byte inline
// limit, so every entry costs a separate allocation; store *cachedResponse.
type responseTable map[string]cachedResponse

// Cache memoises rendered pages by full request URL.
type Cache struct {
	ttl time.Duration

	mu    sync.RWMutex
	items responseTable
	etags map[string]string // URL -> ETag, for If-None-Match
}

func NewCache(ttl time.Duration) *Cache {
	return &Cache{ttl: ttl, items: responseTable{}, etags: map[string]string{}}
}

func (c *Cache) Get(key string, now time.Time) (cachedResponse, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.items[key]
	if !ok || now.After(r.Expires) {
		return cachedResponse{}, false
	}
	return r, true
}

func (c *Cache) Put(key string, r cachedResponse) {
	r.StoredAt = time.Now()
	r.Expires = r.StoredAt.Add(c.ttl)
	c.mu.Lock()
	c.items[key] = r
	// BUG(MG202): Invalidate drops the page but not its ETag, so Cache.etags
	// keeps every URL ever cached (the key includes the query string).
	c.etags[key] = r.ETag
	c.mu.Unlock()
}

// Invalidate drops one cached page.
func (c *Cache) Invalidate(key string) {
	c.mu.Lock()
	delete(c.items, key)
	c.mu.Unlock()
}

func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Keys lists the cached URLs for the /debug/cache handler.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	return keys
}
