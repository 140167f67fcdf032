package crawler

import (
	"context"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The spawner writes after launching a goroutine that reads.
func WatchConfig(cfg map[string]string, apply func(k, v string), updates <-chan [2]string) {
	go func() {
		for range time.Tick(time.Second) {
			for k, v := range cfg {
				apply(k, v)
			}
		}
	}()
	for u := range updates {
		cfg[u[0]] = u[1] // want "map cfg"
	}
}

// A closure stored in a variable and launched in a loop.
func Checksums(files []string, sum func(string) uint32) map[string]uint32 {
	sums := make(map[string]uint32, len(files))
	var wg sync.WaitGroup
	work := func(f string) {
		defer wg.Done()
		sums[f] = sum(f) // want "map sums is written by a goroutine"
	}
	for _, f := range files {
		wg.Add(1)
		go work(f)
	}
	wg.Wait()
	return sums
}

// A method value started as a goroutine writes a field map that the
// spawner reads on its ticker, no lock on either side.
type Event struct {
	Key string
	N   int
}

type aggregator struct {
	totals map[string]int
	flush  func(string, int)
}

func (a *aggregator) consume(events <-chan Event) {
	for e := range events {
		a.totals[e.Key] += e.N // want "map a.totals is written by a goroutine"
	}
}

func (a *aggregator) Run(ctx context.Context, events <-chan Event) {
	go a.consume(events)
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for k, n := range a.totals {
				a.flush(k, n)
			}
		}
	}
}

// A map field of a local struct shared by goroutines started in a loop.
type crawlState struct {
	visited map[string]bool
	queue   chan string
}

func Crawl(ctx context.Context, seeds []string) int {
	st := &crawlState{visited: map[string]bool{}, queue: make(chan string, 100)}
	var wg sync.WaitGroup
	for _, s := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(ctx, s)
			st.visited[s] = true // want "map st.visited is written by a goroutine"
		}()
	}
	wg.Wait()
	return len(st.visited)
}

// An HTTP handler that starts a background audit goroutine and keeps writing
// the same request-scoped map.
func AuditHandler(store func(map[string]string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fields := map[string]string{"path": r.URL.Path}
		go func() {
			fields["ip"] = strings.Split(r.RemoteAddr, ":")[0] // want "map fields is written by a goroutine"
			store(fields)
		}()
		fields["user"] = r.Header.Get("X-User") // want "map fields"
		w.WriteHeader(http.StatusAccepted)
	}
}

// Passed as an argument to the goroutine's function literal.
func Poll(ctx context.Context, urls []string, stats map[string]int) {
	for _, u := range urls {
		go func(m map[string]int, u string) {
			m[u] = fetch(ctx, u).Status // want "is written by a goroutine"
		}(stats, u)
	}
	log.Printf("polling %d urls, %d known", len(urls), len(stats))
}
