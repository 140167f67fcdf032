package edge

import "sync"

// HostCache drops a failed lookup's error when a later lookup succeeds: the delete is on the
// way through a lookup, not where a name's life ends, and names are the few hosts configured.
type HostCache struct {
	mu       sync.Mutex
	addrs    map[string]string
	failures map[string]error
}

func (r *HostCache) Lookup(host string, resolve func(string) (string, error)) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a, ok := r.addrs[host]; ok {
		return a, nil
	}
	a, err := resolve(host)
	if err != nil {
		r.failures[host] = err
		return "", err
	}
	delete(r.failures, host)
	r.addrs[host] = a
	return a, nil
}

// Sessions removes both maps' entries when a session ends.
type Sessions struct {
	mu    sync.Mutex
	users map[string]string
	seen  map[string]int64
}

func (s *Sessions) Touch(id, user string, now int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = user
	s.seen[id] = now
}

func (s *Sessions) End(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, id)
	delete(s.seen, id)
}

// FakeStore is an in-memory store that should only be used for testing: it keeps every
// record it is given.
type FakeStore struct {
	mu      sync.Mutex
	records map[string][]byte
	meta    map[string]string
}

func (f *FakeStore) Put(key string, b []byte, m string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records[key] = b
	f.meta[key] = m
}

func (f *FakeStore) Remove(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.records, key)
}

// Pool keys its counters by shard, a different key than the one it drops.
type Pool struct {
	mu     sync.Mutex
	conns  map[string]int
	shards map[string]int
}

func (p *Pool) Add(addr, shard string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[addr]++
	p.shards[shard]++
}

func (p *Pool) RemoveConn(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, addr)
}
