package buffer

import (
	"log"
	"time"
)

type lease struct {
	owner   string
	expires time.Time
}

// Silent: only expired entries are deleted.
func expire(leases map[string]lease, now time.Time) {
	for id, l := range leases {
		if now.After(l.expires) {
			delete(leases, id)
		}
	}
}

// Silent: the keys of one map are deleted from another.
func ack(pending, acked map[uint64]bool) {
	for id := range acked {
		delete(pending, id)
	}
}

// Silent: the loop does more than delete.
func evictAll(cache map[string][]byte) int {
	n := 0
	for k := range cache {
		delete(cache, k)
		n++
	}
	return n
}

// Silent: the body carries a comment that a rewrite would lose.
func resetQuotas(quotas map[string]int) {
	for tenant := range quotas {
		// Tenants re-register on their next request.
		delete(quotas, tenant)
	}
}

// Silent: the deleted key is not the ranged key.
func dropNamespace(m map[string]string, ns string) {
	for k := range m {
		delete(m, ns+"/"+k)
	}
}

// Silent: a slice of keys is not every key of the map.
func forget(m map[string]int, keys []string) {
	for _, k := range keys {
		delete(m, k)
	}
}

type shards struct {
	next int
	all  []map[string]int
}

func (s *shards) current() map[string]int {
	s.next = (s.next + 1) % len(s.all)
	return s.all[s.next]
}

// Silent: the map expression is a call; each evaluation may return a
// different map, so the loop is not clear(s.current()).
func (s *shards) rotate() {
	for k := range s.current() {
		delete(s.current(), k)
	}
}

// Silent: deletes one key then stops.
func popAny(m map[string]int) (string, bool) {
	for k := range m {
		delete(m, k)
		return k, true
	}
	return "", false
}

// Silent: already clear.
func resetCounters(c map[string]int) {
	clear(c)
}

// Silent: logging inside the loop.
func closeAll(conns map[string]interface{ Close() error }) {
	for addr, c := range conns {
		if err := c.Close(); err != nil {
			log.Printf("close %s: %v", addr, err)
		}
		delete(conns, addr)
	}
}
