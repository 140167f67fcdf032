package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

type bucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func (b *bucket) take(rate, burst float64, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) idleSince(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return now.Sub(b.last)
}

// rateLimiter keeps a token bucket per client address.
type rateLimiter struct {
	rate    float64
	clients sync.Map // client address -> *bucket
}

func clientAddr(r *http.Request) string {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		first, _, _ := strings.Cut(fwd, ",")
		return strings.TrimSpace(first)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (l *rateLimiter) bucketFor(addr string) *bucket {
	if v, ok := l.clients.Load(addr); ok {
		return v.(*bucket)
	}
	b := &bucket{tokens: 2 * l.rate, last: time.Now()}
	// BUG(MG501): two first requests from one client both miss the Load and
	// both Store; one bucket (and its spent tokens) is lost. Use LoadOrStore.
	l.clients.Store(addr, b)
	return b
}

func (l *rateLimiter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.bucketFor(clientAddr(r)).take(l.rate, 2*l.rate, time.Now()) {
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sweep forgets clients idle for longer than idle.
func (l *rateLimiter) sweep(ctx context.Context, idle time.Duration) {
	t := time.NewTicker(idle / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			l.clients.Range(func(k, v any) bool {
				if v.(*bucket).idleSince(now) > idle {
					l.clients.Delete(k)
				}
				return true
			})
		}
	}
}
