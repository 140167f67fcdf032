package edge

import (
	"net/http"
	"strings"
	"sync"
)

type Route struct {
	Prefix  string
	Backend http.Handler
}

// Silent: the route table is built in the constructor and only read after.
type Router struct {
	mu     sync.RWMutex
	routes map[string]http.Handler
}

func NewRouter(table []Route) *Router {
	r := &Router{routes: make(map[string]http.Handler, len(table))}
	for _, rt := range table {
		r.routes[strings.TrimSuffix(rt.Prefix, "/")] = rt.Backend
	}
	return r
}

func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.RLock()
	h, ok := r.routes[req.URL.Path]
	r.mu.RUnlock()
	if !ok {
		http.NotFound(w, req)
		return
	}
	h.ServeHTTP(w, req)
}
