package api

import "example.com/inconsistent-map-locking/syncs"

// Knobs uses a mutex type from another package that wraps sync.Mutex.
var (
	knobMu syncs.Mutex
	// +checklocks:knobMu
	knobs = map[string]string{}
)

// Silent: the wrapper's Lock and Unlock are lock events too.
func SetKnob(k, v string) {
	knobMu.Lock()
	defer knobMu.Unlock()
	knobs[k] = v
}

func Knob(k string) string {
	knobMu.Lock()
	defer knobMu.Unlock()
	return knobs[k]
}

func KnobCount() int {
	return len(knobs) // want "knobs is guarded by knobMu"
}
