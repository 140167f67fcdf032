package cdn

import "sync"

// Silent: flushLock is read-locked by every method to keep Flush out, and l
// serialises the map; a write under flushLock.RLock and l.Lock is safe.
type Blocked struct {
	// flushLock is write-locked only by Flush.
	flushLock sync.RWMutex
	enabled   bool

	// l is the lock on the data we're tracking.
	l sync.RWMutex

	// jobs maps a job to its blocked evaluation.
	jobs map[string]string
}

func (b *Blocked) Block(job, eval string) {
	b.flushLock.RLock()
	defer b.flushLock.RUnlock()
	if !b.enabled {
		return
	}
	b.l.Lock()
	defer b.l.Unlock()
	b.jobs[job] = eval
}

func (b *Blocked) Unblock(job string) {
	b.flushLock.RLock()
	defer b.flushLock.RUnlock()
	b.l.Lock()
	defer b.l.Unlock()
	delete(b.jobs, job)
}

func (b *Blocked) Has(job string) bool {
	b.flushLock.RLock()
	defer b.flushLock.RUnlock()
	b.l.RLock()
	defer b.l.RUnlock()
	_, ok := b.jobs[job]
	return ok
}

func (b *Blocked) Flush() {
	b.flushLock.Lock()
	defer b.flushLock.Unlock()
	b.l.Lock()
	defer b.l.Unlock()
	b.jobs = map[string]string{}
}
