package api

import (
	"fmt"
	"sort"
	"sync"
)

type Codec interface {
	Marshal(any) ([]byte, error)
}

// A package-level mutex and the map declared below it in the same var block.
var (
	codecsMu sync.RWMutex
	codecs   = map[string]Codec{}
)

func RegisterCodec(name string, c Codec) {
	codecsMu.Lock()
	defer codecsMu.Unlock()
	codecs[name] = c
}

func CodecFor(name string) (Codec, error) {
	codecsMu.RLock()
	defer codecsMu.RUnlock()
	c, ok := codecs[name]
	if !ok {
		return nil, fmt.Errorf("no codec %q", name)
	}
	return c, nil
}

func CodecNames() []string {
	names := make([]string, 0, len(codecs)) // want "codecs is guarded by codecsMu"
	codecsMu.RLock()
	for n := range codecs {
		names = append(names, n)
	}
	codecsMu.RUnlock()
	sort.Strings(names)
	return names
}
