package registry

import "sync"

type Command struct {
	Name string
	Run  func() error
}

var (
	commandsMu sync.RWMutex
	commands   = map[string]Command{}
)

// RegisterCommand adds a command to the registry.
//
// This function should be used in init().
func RegisterCommand(c Command) {
	commandsMu.Lock()
	defer commandsMu.Unlock()
	commands[c.Name] = c
}

// Silent: the registry is only written during initialisation, so the map
// handed out is read-only by the time anything runs concurrently.
func Commands() map[string]Command {
	commandsMu.RLock()
	defer commandsMu.RUnlock()
	return commands
}

// Replacer's static values are guarded by a mutex it shares with its copies.
type Replacer struct {
	providers []func(string) (any, bool)
	static    map[string]any
	mu        *sync.RWMutex
}

func (r *Replacer) Set(k string, v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.static[k] = v
}

func (r *Replacer) Get(k string) any {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.static[k]
}

func (r *Replacer) Del(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.static, k)
}

// Silent: no critical section here to leave; copying the field is not a
// read of the map.
func (r *Replacer) WithoutProviders() *Replacer {
	return &Replacer{static: r.static, mu: r.mu}
}

func (r *Replacer) Shallow() *Replacer {
	c := &Replacer{static: r.static}
	c.providers = append(c.providers, r.providers...)
	return c
}
