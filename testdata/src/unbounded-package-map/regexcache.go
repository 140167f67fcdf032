package auth

import (
	"regexp"
	"sync"
)

var (
	regexMu    sync.RWMutex
	regexCache = make(map[string]*regexp.Regexp, 64)
)

// compileFilter compiles a user-supplied filter once and caches it forever:
// every distinct pattern a client sends stays in memory.
func compileFilter(pattern string) (*regexp.Regexp, error) {
	regexMu.RLock()
	re, ok := regexCache[pattern]
	regexMu.RUnlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	regexMu.Lock()
	regexCache[pattern] = re // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
	regexMu.Unlock()
	return re, nil
}
