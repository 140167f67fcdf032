package gateway

import (
	"strings"
	"sync"
	"sync/atomic"
)

type Config struct {
	Upstreams []string
}

type service struct {
	cache   sync.Map
	byHost  sync.Map
	byAlias sync.Map
	cfg     atomic.Value // *Config
	flags   atomic.Pointer[map[string]bool]
	mu      sync.Mutex
	locked  sync.Map
	compute func(string) string
}

// Silent: LoadOrStore is the atomic form.
func (s *service) get(key string) string {
	if v, ok := s.cache.Load(key); ok {
		return v.(string)
	}
	v, _ := s.cache.LoadOrStore(key, s.compute(key))
	return v.(string)
}

// Silent: a different key is stored.
func (s *service) alias(host, alias string) {
	if v, ok := s.byHost.Load(host); ok {
		s.byAlias.Store(alias, v)
	}
}

// Silent: the Load's key is normalised before the Store.
func (s *service) put(key, val string) {
	if _, ok := s.cache.Load(key); ok {
		return
	}
	key = strings.ToLower(key)
	s.cache.Store(key, val)
}

// Silent: Store with no Load before it.
func (s *service) set(key, val string) {
	s.cache.Store(key, val)
}

// Silent: Load then a Store of the same key on another sync.Map.
func (s *service) promote(host string) {
	if v, ok := s.byHost.Load(host); ok {
		s.byAlias.Store(host, v)
	}
}

// Silent: Load then CompareAndSwap is the correct read-modify-write.
func (s *service) incr(key string) {
	for {
		v, ok := s.cache.Load(key)
		if !ok {
			if _, loaded := s.cache.LoadOrStore(key, 1); !loaded {
				return
			}
			continue
		}
		if s.cache.CompareAndSwap(key, v, v.(int)+1) {
			return
		}
	}
}

// Silent: Load then Delete is a different pattern (LoadAndDelete), not this rule.
func (s *service) take(key string) (any, bool) {
	v, ok := s.cache.Load(key)
	if ok {
		s.cache.Delete(key)
	}
	return v, ok
}

// Silent: atomic.Value and atomic.Pointer also have Load and Store, with no key.
func (s *service) addUpstream(u string) {
	old := s.cfg.Load().(*Config)
	next := &Config{Upstreams: append(append([]string(nil), old.Upstreams...), u)}
	s.cfg.Store(next)

	flags := map[string]bool{}
	if cur := s.flags.Load(); cur != nil {
		for k, v := range *cur {
			flags[k] = v
		}
	}
	flags[u] = true
	s.flags.Store(&flags)
}

// Silent: every writer of s.locked holds s.mu across the Load and the Store.
func (s *service) ensure(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.locked.Load(key); !ok {
		s.locked.Store(key, s.compute(key))
	}
}

// Silent: Load in one method, Store in another.
func (s *service) has(key string) bool {
	_, ok := s.cache.Load(key)
	return ok
}

// Silent: different loop variables; the keys stored are the missing ones
// collected first, then stored in a second pass.
func (s *service) warm(keys []string) {
	var missing []string
	for _, k := range keys {
		if _, ok := s.cache.Load(k); !ok {
			missing = append(missing, k)
		}
	}
	for _, m := range missing {
		s.cache.Store(m, s.compute(m))
	}
}

// Silent: a type of our own with Load and Store methods is not a sync.Map.
type kvStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *kvStore) Load(key string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	return v, ok
}

func (k *kvStore) Store(key, val string) {
	k.mu.Lock()
	k.m[key] = val
	k.mu.Unlock()
}

func touch(k *kvStore, key string) {
	if _, ok := k.Load(key); !ok {
		k.Store(key, "")
	}
}

// routeTable's callers hold tableMu, so its Load and Store cannot interleave.
type routeTable struct {
	tableMu sync.Mutex
	routes  sync.Map
}

// addRouteLocked registers a route once. Lock must be held.
func (t *routeTable) addRouteLocked(path string, h http.Handler) {
	if _, ok := t.routes.Load(path); ok {
		return
	}
	t.routes.Store(path, h)
}

// refreshLocked replaces a route's handler; the name says tableMu is held.
func (t *routeTable) refreshLocked(path string, h http.Handler) {
	if _, ok := t.routes.Load(path); ok {
		t.routes.Store(path, h)
	}
}

// newRouteTable fills a table nobody else can see yet.
func newRouteTable(defaults map[string]http.Handler) *routeTable {
	t := &routeTable{}
	for path, h := range defaults {
		if _, ok := t.routes.Load(path); !ok {
			t.routes.Store(path, h)
		}
	}
	return t
}
