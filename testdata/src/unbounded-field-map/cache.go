// Package edge is an API gateway; its long-lived types hold the map fields
// that MG202 (unbounded-field-map) looks at.
package edge

import (
	"sync"
	"time"
)

type entry struct {
	body    []byte
	fetched time.Time
}

// Cache memoises upstream responses. Nothing ever evicts.
type Cache struct {
	mu    sync.RWMutex
	items map[string]entry
}

func NewCache() *Cache {
	return &Cache{items: make(map[string]entry)}
}

func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	return e.body, ok
}

func (c *Cache) Set(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = entry{body: body, fetched: time.Now()} // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
}
