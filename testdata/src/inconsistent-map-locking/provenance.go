package api

import "sync"

// Account is shared by a AccountHub once registered; Options carries accounts that
// are configuration, not the live ones.
type Account struct {
	mu      sync.Mutex
	limits  map[string]int
	clients map[string]bool
}

func (a *Account) SetLimit(k string, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.limits[k] = n
}

func (a *Account) Limit(k string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.limits[k]
}

func (a *Account) Connect(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.clients[id] = true
}

func (a *Account) Connected(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.clients[id]
}

type Options struct {
	Accounts []*Account
}

type AccountHub struct {
	mu       sync.Mutex
	accounts map[string]*Account
	users    map[string]string
}

// Silent: accounts reached through locals (ranged over options, asserted
// from an interface) may be configuration copies; the analysis cannot tell
// whether they are shared.
func ValidateOptions(o *Options, extra any) bool {
	for _, acc := range o.Accounts {
		if len(acc.limits) > 0 {
			return false
		}
		acc.clients = nil
	}
	if acc, ok := extra.(*Account); ok {
		acc.limits["default"] = 1
	}
	return true
}

// Silent: the doc states the contract in the passive.
// Lock is assumed held.
func (h *AccountHub) checkUsers() int {
	n := 0
	for range h.users {
		n++
	}
	return n
}

func (h *AccountHub) Reload(users map[string]string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users = users
	return h.checkUsers()
}

func (h *AccountHub) AddUser(name, pass string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users[name] = pass
}

func (h *AccountHub) UserCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.users)
}

func (h *AccountHub) HasUser(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.users[name]
	return ok
}
