package api

import (
	"bufio"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LRU-ish cache whose helpers document their locking contract.
type Store struct {
	mu    sync.Mutex
	items map[string][]byte
	order []string
	max   int

	statsMu sync.Mutex
	hits    map[string]int // guarded by statsMu (another mutex starts a block)
}

func (s *Store) Put(k string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[k] = v
	s.order = append(s.order, k)
	s.evictLocked()
}

// Silent: the *Locked suffix says the caller holds s.mu.
func (s *Store) evictLocked() {
	for len(s.items) > s.max && len(s.order) > 0 {
		delete(s.items, s.order[0])
		s.order = s.order[1:]
	}
}

// dropPrefix removes every key with the prefix.
// The caller must hold s.mu.
func (s *Store) dropPrefix(prefix string) {
	for k := range s.items {
		if strings.HasPrefix(k, prefix) {
			delete(s.items, k)
		}
	}
}

func (s *Store) DropTenant(t string) {
	s.mu.Lock()
	s.dropPrefix(t + "/")
	s.mu.Unlock()
}

// Silent: hits is guarded by statsMu, which is held; s.mu is not needed.
func (s *Store) Get(k string) ([]byte, bool) {
	s.statsMu.Lock()
	s.hits[k]++
	s.statsMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.items[k]
	return v, ok
}

// Silent: a function that allocated the value itself and has not shared it.
func LoadStore(r io.Reader, max int) (*Store, error) {
	s := &Store{items: map[string][]byte{}, hits: map[string]int{}, max: max}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		s.items[k] = []byte(v)
	}
	return s, sc.Err()
}

// Silent: a goroutine that takes the lock itself.
func (s *Store) ExpireAfter(k string, d time.Duration) {
	go func() {
		time.Sleep(d)
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.items, k)
	}()
}

// Lazy initialisation under sync.Once.
type Mimes struct {
	once   sync.Once
	byExt  map[string]string
	loader func() map[string]string
}

// Silent: written only inside once.Do, read after it.
func (m *Mimes) Lookup(ext string) string {
	m.once.Do(func() {
		m.byExt = make(map[string]string)
		for k, v := range m.loader() {
			m.byExt[k] = v
		}
	})
	return m.byExt[ext]
}

// Copy-on-write routing table behind an atomic pointer.
type Router struct {
	mu     sync.Mutex // serialises writers only
	routes atomic.Pointer[map[string]http.Handler]
}

func (r *Router) Handle(path string, h http.Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := map[string]http.Handler{}
	if cur := r.routes.Load(); cur != nil {
		next = maps.Clone(*cur)
	}
	next[path] = h
	r.routes.Store(&next)
}

// Silent: readers use the immutable snapshot without the lock.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if m := r.routes.Load(); m != nil {
		if h, ok := (*m)[req.URL.Path]; ok {
			h.ServeHTTP(w, req)
			return
		}
	}
	http.NotFound(w, req)
}

// Silent: a websocket-style hub. clients is owned by the run goroutine and
// changed only through channels; there is no lock at all.
type Client struct {
	send chan []byte
}

type Hub struct {
	clients    map[*Client]bool
	register   chan *Client
	unregister chan *Client
	broadcast  chan []byte
}

func (h *Hub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case msg := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- msg:
				default:
					close(c.send)
					delete(h.clients, c)
				}
			}
		}
	}
}

// Silent: a map set at construction and never locked anywhere, declared
// above the mutex.
type Gateway struct {
	upstreams map[string]string
	mu        sync.Mutex
	inflight  int
}

func (g *Gateway) Upstream(name string) string { return g.upstreams[name] }

func (g *Gateway) begin() {
	g.mu.Lock()
	g.inflight++
	g.mu.Unlock()
}

// A sync.Locker field guards the map declared below it.
type Ledger struct {
	lk       sync.Locker
	balances map[string]int64
}

// Silent: the Locker is held.
func (l *Ledger) Credit(acct string, n int64) {
	l.lk.Lock()
	defer l.lk.Unlock()
	l.balances[acct] += n
}

var (
	flagsMu sync.Mutex
	flags   = map[string]bool{}
)

// Silent: init runs before any goroutine can see flags.
func init() {
	flags["new-checkout"] = true
	flags["dark-mode"] = false
}

func Flag(name string) bool {
	flagsMu.Lock()
	defer flagsMu.Unlock()
	return flags[name]
}
