package api

import "sync"

type Message struct {
	Topic string
	Body  []byte
}

// Broker is a pub/sub registry.
type Broker struct {
	mu   sync.RWMutex
	subs map[string]map[chan<- Message]struct{}
}

func NewBroker() *Broker {
	return &Broker{subs: make(map[string]map[chan<- Message]struct{})}
}

func (b *Broker) Subscribe(topic string, ch chan<- Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	set := b.subs[topic]
	if set == nil {
		set = make(map[chan<- Message]struct{})
		b.subs[topic] = set
	}
	set[ch] = struct{}{}
}

func (b *Broker) Publish(m Message) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for ch := range b.subs[m.Topic] {
		select {
		case ch <- m:
		default:
		}
	}
}

// Unsubscribe forgot the lock.
func (b *Broker) Unsubscribe(topic string, ch chan<- Message) {
	if set, ok := b.subs[topic]; ok { // want "b.subs is guarded by b.mu"
		delete(set, ch)
	}
}
