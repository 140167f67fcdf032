package edge

import "sync"

type Event struct {
	Topic   string
	Payload []byte
}

// Hub fans events out to subscribers. There is no Unsubscribe: topics and
// their channels pile up.
type Hub struct {
	mu          sync.RWMutex
	subscribers map[string][]chan<- Event
}

func (h *Hub) Subscribe(topic string, ch chan<- Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subscribers == nil {
		h.subscribers = make(map[string][]chan<- Event)
	}
	h.subscribers[topic] = append(h.subscribers[topic], ch) // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
}

func (h *Hub) Publish(ev Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, ch := range h.subscribers[ev.Topic] {
		select {
		case ch <- ev:
		default:
		}
	}
}
