package edge

import (
	"net/http"
	"sync"
	"time"
)

type histogram struct {
	count uint64
	sum   time.Duration
}

// RouteMetrics keys latency by the raw URL path, which includes IDs: the key
// set is as large as the set of URLs clients ever request.
type RouteMetrics struct {
	mu      sync.Mutex
	byRoute map[string]*histogram
}

func NewRouteMetrics() *RouteMetrics {
	return &RouteMetrics{byRoute: map[string]*histogram{}}
}

func (m *RouteMetrics) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		m.observe(r.URL.Path, time.Since(start))
	})
}

func (m *RouteMetrics) observe(path string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.byRoute[path]
	if h == nil {
		h = &histogram{}
		m.byRoute[path] = h // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
	}
	h.count++
	h.sum += d
}
