// Package registry is a service registry. MG103 (guarded-map-escapes-lock)
// reports a guarded map itself leaving its critical section: returned,
// stored elsewhere or sent, callers then use it with no lock.
package registry

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"sync"
	"time"
)

type Instance struct {
	Addr    string
	Healthy bool
}

type Registry struct {
	mu        sync.RWMutex
	instances map[string][]Instance
	labels    map[string]string
	leases    map[string]time.Time
	watchers  map[string]chan struct{}
}

// The getter hands out the map; the lock protects nothing after return.
func (r *Registry) Instances() map[string][]Instance {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.instances // want "returns guarded map r.instances"
}

// Copying the reference into a local does not copy the map.
func (r *Registry) Labels() map[string]string {
	r.mu.RLock()
	labels := r.labels
	r.mu.RUnlock()
	return labels // want "returns guarded map r.labels"
}

// Returned alongside another value.
func (r *Registry) Leases() (map[string]time.Time, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.leases, len(r.leases) // want "returns guarded map r.leases"
}

// Without any lock at all it escapes just the same.
func (r *Registry) Watchers() map[string]chan struct{} {
	return r.watchers // want "returns guarded map r.watchers"
}

// Used under the lock elsewhere, so the guard is known.
func (r *Registry) Register(svc string, inst Instance, ttl time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.instances[svc] = append(r.instances[svc], inst)
	r.leases[svc+"/"+inst.Addr] = time.Now().Add(ttl)
	if ch, ok := r.watchers[svc]; ok {
		close(ch)
		delete(r.watchers, svc)
	}
	r.labels["last_registered"] = svc
}

// gRPC-style response that carries the guarded map.
type ListRequest struct{}
type ListResponse struct {
	Instances map[string][]Instance
}

func (r *Registry) List(ctx context.Context, _ *ListRequest) (*ListResponse, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return &ListResponse{Instances: r.instances}, nil // want "guarded map r.instances"
}

// Template data holds the map; the template executes after the unlock.
var statusPage = template.Must(template.New("status").Parse(`{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}`))

type pageData struct {
	Labels map[string]string
	Now    time.Time
}

func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.RLock()
	data := pageData{Labels: r.labels, Now: time.Now()} // want "guarded map r.labels"
	r.mu.RUnlock()
	statusPage.Execute(w, data)
}

// Silent: the literal holding the map is encoded under the lock; after the
// unlock only its other field is read.
func (r *Registry) Persist(w io.Writer) (time.Time, error) {
	r.mu.RLock()
	data := pageData{Labels: r.labels, Now: time.Now()}
	b, err := json.Marshal(&data)
	r.mu.RUnlock()
	if err != nil {
		return data.Now, err
	}
	_, err = w.Write(b)
	return data.Now, err
}
