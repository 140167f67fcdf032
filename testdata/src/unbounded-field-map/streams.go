package edge

import "sync"

type stream struct{ id uint32 }

// mux closes streams, and the flow-control windows of closed streams stay.
type mux struct {
	mu      sync.Mutex
	streams map[uint32]*stream
	windows map[uint32]int32
}

func (m *mux) open(id uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.streams[id] = &stream{id: id}
}

func (m *mux) windowUpdate(id uint32, delta int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.windows[id] += delta // want "mux.windows only grows"
}

func (m *mux) onStreamClosed(id uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.streams, id)
}
