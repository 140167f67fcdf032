package main

import (
	"context"
	"expvar"
	"sync"
	"time"
)

// Metrics counts requests per route pattern; the counts are published to
// expvar and start over every interval.
type Metrics struct {
	mu       sync.Mutex
	requests map[string]uint64
	latency  map[string]time.Duration

	published *expvar.Map
}

func NewMetrics() *Metrics {
	return &Metrics{
		requests:  make(map[string]uint64),
		latency:   make(map[string]time.Duration),
		published: expvar.NewMap("requests_last_interval"),
	}
}

func (m *Metrics) Observe(route string, d time.Duration) {
	m.mu.Lock()
	m.requests[route]++
	m.latency[route] += d
	m.mu.Unlock()
}

// Requests is used by the /debug/routes handler.
func (m *Metrics) Requests() map[string]uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	// BUG(MG103): returns the guarded map itself; the handler encodes it after
	// the Unlock while Observe writes it. Return maps.Clone(m.requests).
	return m.requests
}

// flushLoop swaps in fresh maps each interval and publishes the old ones.
func (m *Metrics) flushLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.mu.Lock()
			reqs, lat := m.requests, m.latency
			m.requests = make(map[string]uint64, len(reqs))
			m.latency = make(map[string]time.Duration, len(lat))
			m.mu.Unlock()
			m.published.Init()
			for route, n := range reqs {
				v := new(expvar.Int)
				v.Set(int64(n))
				m.published.Set(route, v)
			}
		}
	}
}

// activeUsers counts distinct signed-in users per minute.
type activeUsers struct {
	mu   sync.Mutex
	seen map[string]struct{}
	last int
}

func newActiveUsers() *activeUsers {
	return &activeUsers{seen: make(map[string]struct{}, 64)}
}

func (a *activeUsers) add(user string) {
	a.mu.Lock()
	a.seen[user] = struct{}{}
	a.mu.Unlock()
}

func (a *activeUsers) lastMinute() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

func (a *activeUsers) rotateLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.mu.Lock()
			a.last = len(a.seen)
			// BUG(MG302): clear keeps the storage of the busiest minute ever
			// seen (maps never shrink); a = make(…, a.last) would let it go.
			clear(a.seen)
			a.mu.Unlock()
		}
	}
}

// publishVars exposes the sizes of the maps under study on /debug/vars.
func publishVars(app *App) {
	expvar.Publish("map_sizes", expvar.Func(func() any {
		sessions, _ := app.sessions.Stats()
		return map[string]int{
			"sessions":       sessions,
			"cache_items":    app.cache.Len(),
			"login_failures": loginFailureCount(),
			"catalog_items":  app.catalog.Len(),
			"active_users":   app.active.lastMinute(),
		}
	}))
}
