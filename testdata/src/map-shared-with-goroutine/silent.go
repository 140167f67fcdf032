package crawler

import (
	"context"
	"maps"
	"sync"
	"time"
)

// Silent: every goroutine takes the same mutex; the spawner reads after Wait.
func FetchAllSafe(ctx context.Context, urls []string) map[string]Page {
	var mu sync.Mutex
	results := make(map[string]Page, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := fetch(ctx, u)
			mu.Lock()
			results[u] = p
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

// Silent: goroutines fill slice slots; the map is built by the spawner
// after Wait.
func FetchIndexed(ctx context.Context, urls []string) map[string]Page {
	pages := make([]Page, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { pages[i] = fetch(ctx, u) })
	}
	wg.Wait()
	byURL := make(map[string]Page, len(urls))
	for _, p := range pages {
		byURL[p.URL] = p
	}
	return byURL
}

// Silent: results come back on a channel; only the spawner writes the map.
func FetchChan(ctx context.Context, urls []string) map[string]Page {
	ch := make(chan Page)
	for _, u := range urls {
		go func() { ch <- fetch(ctx, u) }()
	}
	out := make(map[string]Page, len(urls))
	for range urls {
		p := <-ch
		out[p.URL] = p
	}
	return out
}

// Silent: each goroutine builds its own map and hands it over.
func Partials(ctx context.Context, shards [][]string) []map[string]int {
	ch := make(chan map[string]int, len(shards))
	for _, shard := range shards {
		go func() {
			local := make(map[string]int, len(shard))
			for _, u := range shard {
				local[u] = fetch(ctx, u).Status
			}
			ch <- local
		}()
	}
	var all []map[string]int
	for range shards {
		all = append(all, <-ch)
	}
	return all
}

// Silent: the map is written before the goroutines start; they only read.
func CheckAll(ctx context.Context, urls []string, expect map[string]int) []string {
	expect["https://example.com/"] = 200
	var mu sync.Mutex
	var bad []string
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if fetch(ctx, u).Status != expect[u] {
				mu.Lock()
				bad = append(bad, u)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return bad
}

// Silent: one goroutine writes, the spawner reads only after <-done.
func Background(ctx context.Context, urls []string) map[string]int {
	status := map[string]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, u := range urls {
			status[u] = fetch(ctx, u).Status
		}
	}()
	<-done
	return status
}

// Silent: the goroutine gets a clone.
func Snapshot(ctx context.Context, cfg map[string]string, save func(map[string]string)) {
	go func(c map[string]string) {
		c["saved_at"] = time.Now().Format(time.RFC3339)
		save(c)
	}(maps.Clone(cfg))
	cfg["dirty"] = "false"
}

// Silent: sync.Map is safe for concurrent use.
func Visit(ctx context.Context, urls []string) *sync.Map {
	var seen sync.Map
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() { seen.Store(u, fetch(ctx, u).Status) })
	}
	wg.Wait()
	return &seen
}

// Silent: a closure called in place and a deferred closure are not goroutines.
func Tally(words []string) map[string]int {
	counts := map[string]int{}
	defer func() { counts["_total"] = len(words) }()
	func() {
		for _, w := range words {
			counts[w]++
		}
	}()
	return counts
}

// Silent: one goroutine owns the map after the handoff; the spawner never
// touches it again.
func Count(events <-chan string, report func(map[string]int)) {
	counts := make(map[string]int)
	go func() {
		for ev := range events {
			counts[ev]++
		}
		report(counts)
	}()
}

// Silent: each worker has its own map in its closure.
func Workers(ctx context.Context, jobs <-chan string, n int) {
	for i := 0; i < n; i++ {
		go func() {
			seen := map[string]bool{}
			for j := range jobs {
				if !seen[j] {
					seen[j] = true
					fetch(ctx, j)
				}
			}
		}()
	}
}

// Silent: a guarded field; both sides use s.mu.
type Stats struct {
	mu     sync.Mutex
	byCode map[int]int
}

func (s *Stats) Collect(ctx context.Context, urls []string) map[int]int {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			code := fetch(ctx, u).Status
			s.mu.Lock()
			s.byCode[code]++
			s.mu.Unlock()
		})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.byCode)
}

// Silent: a goroutine that only reads a map nobody writes any more.
func Serve(ctx context.Context, routes map[string]string, handle func(string, string)) {
	go func() {
		for path, target := range routes {
			handle(path, target)
		}
	}()
	<-ctx.Done()
}
