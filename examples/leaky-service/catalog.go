package main

import (
	"sort"
	"sync"
	"time"
)

// Item is one catalog entry (72 bytes: stored inline in maps).
type Item struct {
	SKU        string    `json:"sku"`
	Name       string    `json:"name"`
	PriceCents int64     `json:"price_cents"`
	Stock      int       `json:"stock"`
	Updated    time.Time `json:"updated"`
}

type Catalog struct {
	mu    sync.RWMutex
	items map[string]*Item
	views map[string]uint64 // GET /api/items/{sku} count per SKU
}

func NewCatalog(seed []Item) *Catalog {
	c := &Catalog{items: make(map[string]*Item, len(seed)), views: make(map[string]uint64, len(seed))}
	for i := range seed {
		c.items[seed[i].SKU] = &seed[i]
	}
	return c
}

// Get returns a copy of the item and counts the view.
func (c *Catalog) Get(sku string) (Item, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[sku]
	if !ok {
		return Item{}, false
	}
	// BUG(MG102): an increment is a map write, and RLock lets every reader in
	// at once: concurrent GETs of items write c.views together. Needs Lock.
	c.views[sku]++
	return *it, true
}

func (c *Catalog) Views(sku string) uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.views[sku]
}

func (c *Catalog) Price(sku string) int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if it, ok := c.items[sku]; ok {
		return it.PriceCents
	}
	return -1
}

func (c *Catalog) Put(it Item) {
	it.Updated = time.Now()
	c.mu.Lock()
	c.items[it.SKU] = &it
	c.mu.Unlock()
}

func (c *Catalog) PutMany(items map[string]Item) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for sku, it := range items {
		it.Updated = now
		c.items[sku] = &it
	}
}

func (c *Catalog) Delete(sku string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[sku]
	delete(c.items, sku)
	delete(c.views, sku)
	return ok
}

func (c *Catalog) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Page returns items sorted by SKU: a copy, never the map.
func (c *Catalog) Page(page, size int) []Item {
	c.mu.RLock()
	all := make([]Item, 0, len(c.items))
	for _, it := range c.items {
		all = append(all, *it)
	}
	c.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool { return all[i].SKU < all[j].SKU })
	start := page * size
	if start >= len(all) {
		return nil
	}
	return all[start:min(start+size, len(all))]
}

// InStock simulates a slow warehouse call.
func (c *Catalog) InStock(sku string) bool {
	time.Sleep(5 * time.Millisecond)
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[sku]
	return ok && it.Stock > 0
}

func seedItems(n int) []Item {
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{SKU: skuName(i), Name: "Item " + skuName(i), PriceCents: int64(100 + i), Stock: i % 7}
	}
	return items
}

func skuName(i int) string {
	const digits = "0123456789"
	b := []byte("SKU-00000")
	for p := len(b) - 1; p >= 4 && i > 0; p-- {
		b[p] = digits[i%10]
		i /= 10
	}
	return string(b)
}
