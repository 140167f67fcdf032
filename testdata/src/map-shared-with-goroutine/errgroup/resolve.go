// Package resolve uses golang.org/x/sync/errgroup; Group.Go starts a
// goroutine just as a go statement does.
package resolve

import (
	"context"
	"net"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Every g.Go goroutine writes the same map.
func LookupAll(ctx context.Context, hosts []string) (map[string][]string, error) {
	addrs := make(map[string][]string, len(hosts))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, h := range hosts {
		g.Go(func() error {
			a, err := net.DefaultResolver.LookupHost(ctx, h)
			if err != nil {
				return err
			}
			addrs[h] = a // want "map addrs is written by a goroutine"
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return addrs, nil
}

// A zero Group value works too.
func ReverseAll(ctx context.Context, ips []string) map[string]string {
	names := map[string]string{}
	var g errgroup.Group
	for _, ip := range ips {
		g.Go(func() error {
			n, err := net.DefaultResolver.LookupAddr(ctx, ip)
			if err == nil && len(n) > 0 {
				names[ip] = n[0] // want "map names is written by a goroutine"
			}
			return nil
		})
	}
	g.Wait()
	return names
}

// Silent: the writes share one mutex and the read follows g.Wait.
func LookupAllSafe(ctx context.Context, hosts []string) (map[string][]string, error) {
	var mu sync.Mutex
	addrs := make(map[string][]string, len(hosts))
	g, ctx := errgroup.WithContext(ctx)
	for _, h := range hosts {
		g.Go(func() error {
			a, err := net.DefaultResolver.LookupHost(ctx, h)
			if err != nil {
				return err
			}
			mu.Lock()
			addrs[h] = a
			mu.Unlock()
			return nil
		})
	}
	err := g.Wait()
	return addrs, err
}

// Silent: each goroutine fills its own slot; the map is built after Wait.
func LookupIndexed(ctx context.Context, hosts []string) map[string][]string {
	res := make([][]string, len(hosts))
	var g errgroup.Group
	for i, h := range hosts {
		g.Go(func() error {
			a, err := net.DefaultResolver.LookupHost(ctx, h)
			res[i] = a
			return err
		})
	}
	g.Wait()
	out := make(map[string][]string, len(hosts))
	for i, h := range hosts {
		out[h] = res[i]
	}
	return out
}
