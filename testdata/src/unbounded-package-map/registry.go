package auth

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
)

// Silent: a database/sql-style registry. Register is called from other
// packages' init functions; a duplicate name panics, so the key set is the set
// of linked-in providers.
type Provider interface {
	Authenticate(r *http.Request) (string, error)
}

var (
	providersMu sync.RWMutex
	providers   = make(map[string]Provider)
)

// Register makes an auth provider available by name.
func Register(name string, p Provider) {
	providersMu.Lock()
	defer providersMu.Unlock()
	if p == nil {
		panic("auth: Register provider is nil")
	}
	if _, dup := providers[name]; dup {
		panic("auth: Register called twice for provider " + name)
	}
	providers[name] = p
}

// Providers lists the registered names.
func Providers() []string {
	providersMu.RLock()
	defer providersMu.RUnlock()
	names := make([]string, 0, len(providers))
	for name := range providers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Silent: filled once in init, only read afterwards.
var routes = map[string]http.HandlerFunc{}

func init() {
	routes["/healthz"] = func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") }
	routes["/readyz"] = func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ready") }
	for _, code := range []int{http.StatusNotFound, http.StatusGone} {
		routes[fmt.Sprintf("/status/%d", code)] = func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
		}
	}
}

// Silent: a read-only lookup table.
var mimeTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
}

func mimeType(ext string) string {
	if t, ok := mimeTypes[ext]; ok {
		return t
	}
	return "application/octet-stream"
}
