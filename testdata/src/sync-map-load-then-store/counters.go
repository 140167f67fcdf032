package gateway

import (
	"net/http"
	"sync"
)

var hits sync.Map // path -> int

// countHit is a read-modify-write: concurrent requests lose increments.
func countHit(r *http.Request) {
	n := 0
	if v, ok := hits.Load(r.URL.Path); ok {
		n = v.(int)
	}
	hits.Store(r.URL.Path, n+1) // want "Load then Store of key"
}

type job struct {
	TenantID string
	Payload  []byte
}

type queueSet struct {
	sync.Map // tenant -> chan job, embedded
}

// enqueue: the embedded sync.Map's methods are promoted.
func (q *queueSet) enqueue(j job) {
	ch, ok := q.Load(j.TenantID)
	if !ok {
		ch = make(chan job, 64)
		q.Store(j.TenantID, ch) // want "Load then Store of key"
	}
	ch.(chan job) <- j
}

type Registry struct {
	services sync.Map // name -> []string
}

// Register appends to a slice held in the map: Load, copy, Store.
func (r *Registry) Register(name, addr string) {
	var addrs []string
	if v, ok := r.services.Load(name); ok {
		addrs = append(addrs, v.([]string)...)
	}
	addrs = append(addrs, addr)
	r.services.Store(name, addrs) // want "Load then Store of key"
}

type connTable struct {
	byID sync.Map
}

type conn struct{ id uint64 }

// attach: the Store is in the else branch of the Load's if.
func (t *connTable) attach(c *conn) *conn {
	if old, ok := t.byID.Load(c.id); ok {
		return old.(*conn)
	} else {
		t.byID.Store(c.id, c) // want "Load then Store of key"
	}
	return c
}
