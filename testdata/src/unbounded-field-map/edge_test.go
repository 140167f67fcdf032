package edge

import (
	"sync"
	"testing"
)

// Silent: a fake in a test file.
type fakeOrigin struct {
	mu    sync.Mutex
	calls map[string]int
}

func (f *fakeOrigin) Fetch(key string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[key]++
	return []byte(key)
}

func TestCacheRoundTrip(t *testing.T) {
	o := &fakeOrigin{calls: map[string]int{}}
	c := NewCache()
	c.Set("a", o.Fetch("a"))
	if got, ok := c.Get("a"); !ok || string(got) != "a" {
		t.Fatalf("Get(a) = %q, %v", got, ok)
	}
}
