package edge

import (
	"maps"
	"sync"
)

// Silent: copy-on-write. Set builds a new map and replaces the field.
type Flags struct {
	mu     sync.Mutex
	values map[string]bool
}

func (f *Flags) Set(name string, on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	next := maps.Clone(f.values)
	if next == nil {
		next = map[string]bool{}
	}
	next[name] = on
	f.values = next
}

func (f *Flags) Enabled(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.values[name]
}

// Silent: the batch map is cleared after each flush.
type Batcher struct {
	mu      sync.Mutex
	pending map[string][]byte
	send    func(map[string][]byte) error
}

func (b *Batcher) Put(key string, val []byte) {
	b.mu.Lock()
	b.pending[key] = val
	b.mu.Unlock()
}

func (b *Batcher) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.send(b.pending); err != nil {
		return err
	}
	clear(b.pending)
	return nil
}
