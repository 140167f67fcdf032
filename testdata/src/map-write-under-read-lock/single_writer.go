package cdn

import (
	"sync"
	"time"
)

// Silent: the read lock keeps Close (which takes the write lock) out while
// the one background goroutine prunes the map; nothing else reads the map, so
// no other reader shares the read lock with the write.
type Journal struct {
	mtx     sync.RWMutex
	pending map[uint64]int
	stopc   chan struct{}
}

func OpenJournal() *Journal {
	j := &Journal{pending: map[uint64]int{}, stopc: make(chan struct{})}
	go j.run()
	return j
}

func (j *Journal) run() {
	for {
		select {
		case <-j.stopc:
			return
		case <-time.After(time.Minute):
			j.truncate(10)
		}
	}
}

func (j *Journal) truncate(last int) {
	j.mtx.RLock()
	defer j.mtx.RUnlock()
	j.gc(last)
	for ref, seg := range j.pending {
		if seg <= last {
			delete(j.pending, ref)
		}
	}
}

func (j *Journal) gc(last int) {
	j.pending[uint64(last)] = last
}

func (j *Journal) Close() {
	j.mtx.Lock()
	defer j.mtx.Unlock()
	close(j.stopc)
}
