package edge

import "sync"

type Upload struct{ Name string }

// Uploads drops a finished upload but not its byte count.
type Uploads struct {
	mu       sync.Mutex
	active   map[string]*Upload
	received map[string]int64
}

func (u *Uploads) Start(id string, up *Upload) {
	u.mu.Lock()
	u.active[id] = up
	u.mu.Unlock()
}

func (u *Uploads) Progress(id string, n int64) {
	u.mu.Lock()
	u.received[id] += n // want "Uploads.received only grows"
	u.mu.Unlock()
}

func (u *Uploads) Finish(id string) {
	u.mu.Lock()
	delete(u.active, id)
	u.mu.Unlock()
}
