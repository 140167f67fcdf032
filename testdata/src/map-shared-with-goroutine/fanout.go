// Package crawler fans work out to goroutines. MG104 (map-shared-with-goroutine)
// reports a map written by a goroutine while its spawner or sibling
// goroutines use it with no common lock: "fatal error: concurrent map writes".
package crawler

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type Page struct {
	URL    string
	Status int
	Took   time.Duration
}

func fetch(ctx context.Context, url string) Page {
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Page{URL: url, Took: time.Since(start)}
	}
	resp.Body.Close()
	return Page{URL: url, Status: resp.StatusCode, Took: time.Since(start)}
}

// One goroutine per URL, all writing the same map. The WaitGroup orders the
// read after them but not the writes among themselves.
func FetchAll(ctx context.Context, urls []string) map[string]Page {
	results := make(map[string]Page, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[u] = fetch(ctx, u) // want "map results is written by a goroutine"
		}()
	}
	wg.Wait()
	return results
}

// Distinct keys do not help: the map itself is shared.
func Squares(n int) map[int]int {
	out := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = i * i // want "map out is written by a goroutine"
		}()
	}
	wg.Wait()
	return out
}

// WaitGroup.Go (Go 1.25).
func StatusCounts(ctx context.Context, urls []string) map[int]int {
	counts := map[int]int{}
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			p := fetch(ctx, u)
			counts[p.Status]++ // want "map counts is written by a goroutine"
		})
	}
	wg.Wait()
	return counts
}

// A fixed pool of workers draining a channel.
func Dedupe(ids <-chan string, workers int) map[string]bool {
	seen := make(map[string]bool)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				seen[id] = true // want "map seen is written by a goroutine"
			}
		}()
	}
	wg.Wait()
	return seen
}

// Two sibling goroutines, one write each.
func Warmup(ctx context.Context) map[string]Page {
	pages := map[string]Page{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		pages["home"] = fetch(ctx, "https://example.com/") // want "map pages is written by a goroutine"
	}()
	go func() {
		defer wg.Done()
		pages["about"] = fetch(ctx, "https://example.com/about") // want "map pages is written by a goroutine"
	}()
	wg.Wait()
	return pages
}

// The spawner keeps reading while the goroutine writes.
func Progress(ctx context.Context, urls []string, report func(string)) {
	done := map[string]bool{}
	go func() {
		for _, u := range urls {
			fetch(ctx, u)
			done[u] = true // want "map done is written by a goroutine"
		}
	}()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		report(fmt.Sprintf("%d/%d", len(done), len(urls)))
		if len(done) == len(urls) {
			return
		}
	}
}

// The goroutine locks, the spawner does not: no common lock.
func Latencies(ctx context.Context, urls []string) time.Duration {
	var mu sync.Mutex
	took := map[string]time.Duration{}
	for _, u := range urls {
		go func() {
			p := fetch(ctx, u)
			mu.Lock()
			took[u] = p.Took // want "map took is written by a goroutine"
			mu.Unlock()
		}()
	}
	time.Sleep(2 * time.Second)
	var total time.Duration
	for _, d := range took {
		total += d
	}
	return total
}

// The goroutine deletes, the spawner ranges.
func Retry(ctx context.Context, failed map[string]int) []string {
	go func() {
		for u := range failed {
			if fetch(ctx, u).Status == http.StatusOK {
				delete(failed, u) // want "map failed is written by a goroutine"
			}
		}
	}()
	var left []string
	for u := range failed {
		left = append(left, u)
	}
	return left
}
