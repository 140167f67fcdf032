package edge

import (
	"encoding/json"
	"io"
	"sync"
)

type Reply struct {
	ID     uint64          `json:"id"`
	Result json.RawMessage `json:"result"`
}

// Dispatcher matches RPC replies to callers. The reply loop sends on the
// waiting channel but never deletes it: one entry leaks per call.
type Dispatcher struct {
	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan Reply
	enc     *json.Encoder
}

func NewDispatcher(w io.Writer) *Dispatcher {
	return &Dispatcher{pending: make(map[uint64]chan Reply), enc: json.NewEncoder(w)}
}

func (d *Dispatcher) Call(method string, params any) (<-chan Reply, error) {
	ch := make(chan Reply, 1)
	d.mu.Lock()
	d.nextID++
	id := d.nextID
	d.pending[id] = ch // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
	err := d.enc.Encode(map[string]any{"id": id, "method": method, "params": params})
	d.mu.Unlock()
	return ch, err
}

func (d *Dispatcher) readLoop(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var rep Reply
		if err := dec.Decode(&rep); err != nil {
			return err
		}
		d.mu.Lock()
		ch := d.pending[rep.ID]
		d.mu.Unlock()
		if ch != nil {
			ch <- rep
		}
	}
}
