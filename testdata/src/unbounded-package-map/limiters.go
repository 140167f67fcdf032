package auth

import (
	"sync"
	"time"
)

type limiter struct {
	perSecond int
	last      time.Time
	tokens    int
}

func newLimiter(perSecond int) *limiter {
	return &limiter{perSecond: perSecond, tokens: perSecond, last: time.Now()}
}

var (
	limMu sync.Mutex
	// tenantLimiters is created lazily. The assignment under the nil check is
	// initialisation, not a reset: it never bounds the map.
	tenantLimiters map[string]*limiter
)

func limiterFor(tenant string) *limiter {
	limMu.Lock()
	defer limMu.Unlock()
	if tenantLimiters == nil {
		tenantLimiters = make(map[string]*limiter)
	}
	l, ok := tenantLimiters[tenant]
	if !ok {
		l = newLimiter(100)
		tenantLimiters[tenant] = l // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
	}
	return l
}
