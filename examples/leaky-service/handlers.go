package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// App wires the stores to HTTP handlers.
type App struct {
	cfg      *liveConfig
	sessions *SessionStore
	cache    *Cache
	catalog  *Catalog
	metrics  *Metrics
	active   *activeUsers
	limiter  *rateLimiter
}

func NewApp(cfg *Config) *App {
	return &App{
		cfg:      newLiveConfig(cfg),
		sessions: NewSessionStore(cfg.SessionTTL),
		cache:    NewCache(cfg.CacheTTL),
		catalog:  NewCatalog(seedItems(500)),
		metrics:  NewMetrics(),
		active:   newActiveUsers(),
		limiter:  &rateLimiter{rate: cfg.RatePerSec},
	}
}

func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, a.observe(pattern, h))
	}
	handle("POST /login", a.login)
	handle("POST /logout", a.logout)
	handle("GET /healthz", a.healthz)
	handle("GET /api/items", a.listItems)
	handle("GET /api/items/{sku}", a.getItem)
	handle("PUT /api/items/{sku}", a.requireSession(a.putItem))
	handle("DELETE /api/items/{sku}", a.requireSession(a.deleteItem))
	handle("POST /api/items/import", a.requireSession(a.importItems))
	handle("GET /api/prices", a.prices)
	handle("GET /api/availability", a.availability)
	handle("GET /debug/cache", a.debugCache)
	handle("POST /debug/cache/purge", a.purgeCache)
	handle("GET /debug/routes", a.debugRoutes)
	return a.limiter.wrap(mux)
}

func (a *App) observe(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		a.metrics.Observe(route, time.Since(start))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (a *App) login(w http.ResponseWriter, r *http.Request) {
	user, pass := r.FormValue("user"), r.FormValue("password")
	if lockedOut(user) {
		http.Error(w, "too many failed attempts", http.StatusForbidden)
		return
	}
	if !checkPassword(user, pass) {
		recordFailure(user)
		http.Error(w, "wrong user or password", http.StatusUnauthorized)
		return
	}
	forgetFailures(user)
	sess, err := a.sessions.Create(user)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	a.active.add(user)
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sess.ID, HttpOnly: true, Path: "/"})
	writeJSON(w, http.StatusOK, map[string]string{"user": user})
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("sid"); err == nil {
		a.sessions.Logout(c.Value)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *App) requireSession(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		sess, ok := a.sessions.Get(c.Value)
		if !ok {
			http.Error(w, "session expired", http.StatusUnauthorized)
			return
		}
		a.active.add(sess.User)
		h(w, r)
	}
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "sessions": a.sessions.Count()})
}

// listItems renders a page of the catalog, cached by full URL.
func (a *App) listItems(w http.ResponseWriter, r *http.Request) {
	key := r.URL.String()
	if resp, ok := a.cache.Get(key, time.Now()); ok {
		w.Header().Set("Content-Type", resp.ContentType)
		w.Header().Set("ETag", resp.ETag)
		w.WriteHeader(resp.Status)
		w.Write(resp.Body)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, err := strconv.Atoi(r.URL.Query().Get("size"))
	if err != nil || size <= 0 || size > 100 {
		size = 20
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(a.catalog.Page(max(page, 0), size)); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	resp := cachedResponse{
		Status:      http.StatusOK,
		ContentType: "application/json",
		ETag:        fmt.Sprintf(`"%x"`, buf.Len()),
		Body:        buf.Bytes(),
	}
	a.cache.Put(key, resp)
	w.Header().Set("Content-Type", resp.ContentType)
	w.Header().Set("ETag", resp.ETag)
	w.Write(resp.Body)
}

func (a *App) getItem(w http.ResponseWriter, r *http.Request) {
	it, ok := a.catalog.Get(r.PathValue("sku"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Item-Views", strconv.FormatUint(a.catalog.Views(it.SKU), 10))
	writeJSON(w, http.StatusOK, it)
}

func (a *App) putItem(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(r.Body).Decode(&it); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	it.SKU = r.PathValue("sku")
	a.catalog.Put(it)
	w.WriteHeader(http.StatusNoContent)
}

func (a *App) deleteItem(w http.ResponseWriter, r *http.Request) {
	if !a.catalog.Delete(r.PathValue("sku")) {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

const importChunk = 500

// importItems applies a stream of JSON items in chunks; within a chunk the
// last item for a SKU wins.
func (a *App) importItems(w http.ResponseWriter, r *http.Request) {
	dec := json.NewDecoder(r.Body)
	chunk := make(map[string]Item, importChunk)
	total := 0
	flush := func() {
		a.catalog.PutMany(chunk)
		total += len(chunk)
		// BUG(MG301): this loop deletes every key of chunk; clear(chunk)
		// says so directly (the module is go 1.22).
		for sku := range chunk {
			delete(chunk, sku)
		}
	}
	for {
		var it Item
		err := dec.Decode(&it)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		chunk[it.SKU] = it
		if len(chunk) == importChunk {
			flush()
		}
	}
	flush()
	writeJSON(w, http.StatusOK, map[string]int{"imported": total})
}

// querySKUs returns the repeated ?sku= parameters.
func querySKUs(r *http.Request) []string {
	return r.URL.Query()["sku"]
}

// prices looks up ?sku=…&sku=… in one call.
func (a *App) prices(w http.ResponseWriter, r *http.Request) {
	skus := querySKUs(r)
	// BUG(MG402): the map ends with one entry per SKU; make it with
	// len(skus) to allocate once instead of growing step by step.
	prices := make(map[string]int64)
	for _, sku := range skus {
		prices[sku] = a.catalog.Price(sku)
	}
	writeJSON(w, http.StatusOK, prices)
}

// availability asks the (slow) warehouse about each SKU in parallel.
func (a *App) availability(w http.ResponseWriter, r *http.Request) {
	skus := querySKUs(r)
	if a.cfg.Enabled("safe-availability") {
		writeJSON(w, http.StatusOK, a.availabilitySafe(skus))
		return
	}
	avail := make(map[string]bool, len(skus))
	var wg sync.WaitGroup
	for _, sku := range skus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// BUG(MG104): every goroutine writes avail with no lock:
			// "fatal error: concurrent map writes" with two or more SKUs.
			avail[sku] = a.catalog.InStock(sku)
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, avail)
}

// availabilitySafe is how availability should look: a mutex around the writes.
func (a *App) availabilitySafe(skus []string) map[string]bool {
	var mu sync.Mutex
	avail := make(map[string]bool, len(skus))
	var wg sync.WaitGroup
	for _, sku := range skus {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok := a.catalog.InStock(sku)
			mu.Lock()
			avail[sku] = ok
			mu.Unlock()
		}()
	}
	wg.Wait()
	return avail
}

func (a *App) debugCache(w http.ResponseWriter, r *http.Request) {
	keys := a.cache.Keys()
	writeJSON(w, http.StatusOK, map[string]any{"entries": len(keys), "keys": keys})
}

func (a *App) debugRoutes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.metrics.Requests())
}

// purgeCache drops one cached page (?key=URL), for operators.
func (a *App) purgeCache(w http.ResponseWriter, r *http.Request) {
	a.cache.Invalidate(r.URL.Query().Get("key"))
	w.WriteHeader(http.StatusNoContent)
}
