package api

import (
	"sync"
	"sync/atomic"
	"time"
)

// TTLStore is set up by Open and Start, used by its cleaner goroutine and its
// callers, and torn down by Close.
type TTLStore struct {
	mu      sync.Mutex
	items   map[string]time.Time
	owners  map[string]string
	closed  int32
	stopped chan struct{}
}

// Silent: a constructor under any name (it builds and returns the value)
// fills the maps before anyone else has them.
func Open(seed map[string]time.Time) (*TTLStore, error) {
	s := &TTLStore{stopped: make(chan struct{})}
	s.items = make(map[string]time.Time, len(seed))
	for k, v := range seed {
		s.items[k] = v
	}
	s.owners = map[string]string{}
	go s.clean()
	return s, nil
}

// Silent: Start replaces the map wholesale (setting it up, not writing into
// it) and fills the fresh map it just made.
func (s *TTLStore) Start(names []string) {
	s.owners = make(map[string]string, len(names))
	for _, n := range names {
		s.owners[n] = "init"
	}
}

func (s *TTLStore) Put(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[k] = time.Now()
}

func (s *TTLStore) Owner(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.owners[k]
}

func (s *TTLStore) SetOwner(k, o string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[k] = o
}

func (s *TTLStore) clean() {
	for range time.Tick(time.Minute) {
		s.mu.Lock()
		for k, t := range s.items {
			if time.Since(t) > time.Hour {
				delete(s.items, k)
			}
		}
		s.mu.Unlock()
	}
}

// Close drops the map under the cleaner's feet: `s.items = nil` races with
// the cleaner's range.
func (s *TTLStore) Close() {
	if atomic.SwapInt32(&s.closed, 1) == 0 {
		close(s.stopped)
		s.items = nil // want "s.items is guarded by s.mu"
	}
}

// Silent: a read under a lock the spawner holds until it has waited for the
// goroutines it launched.
func (s *TTLStore) Audit(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.items[k]
		}()
	}
	wg.Wait()
}
