package api

import "sync"

// Quotas' helpers are called by methods that already hold mu: the helpers need
// no lock of their own, and are not findings.
type Quotas struct {
	mu    sync.Mutex
	used  map[string]int
	limit map[string]int
}

func (q *Quotas) Take(tenant string, n int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.remaining(tenant) < n {
		return false
	}
	q.add(tenant, n)
	return true
}

func (q *Quotas) Set(tenant string, limit int) {
	q.mu.Lock()
	q.limit[tenant] = limit
	q.mu.Unlock()
}

// Silent: every call site holds q.mu.
func (q *Quotas) remaining(tenant string) int {
	return q.limit[tenant] - q.used[tenant]
}

// Silent: called only from Take, under q.mu, through a helper of a helper.
func (q *Quotas) add(tenant string, n int) {
	q.bump(tenant, n)
}

func (q *Quotas) bump(tenant string, n int) {
	q.used[tenant] += n
}

// Silent: Journal's helper is called once with the lock and once without. A
// helper some callers call under the lock is taken to need it; the unlocked
// caller is the mistake, and MG101 does not guess which call is wrong.
type Journal struct {
	mu      sync.Mutex
	entries map[string]int
}

func (l *Journal) Credit(acct string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.apply(acct, n)
}

func (l *Journal) Debit(acct string, n int) {
	l.apply(acct, -n) // the caller forgot l.mu
}

func (l *Journal) Balance(acct string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.entries[acct]
}

func (l *Journal) apply(acct string, n int) {
	l.entries[acct] += n
}

// A helper handed out as a method value may run anywhere: it gets no lock
// from its call sites.
type Directory struct {
	mu    sync.Mutex
	names map[string]string
}

func (r *Directory) Add(k, v string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.put(k, v)
}

func (r *Directory) Lookup(k string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.names[k]
}

func (r *Directory) Hooks() []func(string, string) {
	return []func(string, string){r.put}
}

func (r *Directory) put(k, v string) {
	r.names[k] = v // want "r.names is guarded by r.mu"
}
