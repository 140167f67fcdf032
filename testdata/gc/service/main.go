// Command service is the ground-truth program behind mapguard's `gc` fixtures.
//
// It serves fake requests for a few seconds. Each request allocates garbage and touches a
// map: in -mode=steady the map is a bounded cache (random eviction once full), in -mode=leak
// it is a session map that only grows. Run it under GODEBUG=gctrace=1 with stderr captured:
// the runtime's gctrace lines interleave with the service's own log lines there.
//
// While it runs it samples itself through its own HTTP endpoints, exactly as a scraper would:
// expvar's /debug/vars (one raw document per file under <out>/vars/, and compacted into
// <out>/vars.jsonl) and client_golang's /metrics (one file per scrape under <out>/metrics/,
// and all scrapes with millisecond timestamps in <out>/metrics.prom). At the end it stops
// the work, turns the GC off, takes a last sample and writes runtime.ReadMemStats to
// <out>/memstats.json: the values the parsers' output is checked against.
package main

import (
	"bytes"
	"encoding/json"
	"expvar"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	mode           = flag.String("mode", "steady", "steady (bounded cache only) or leak (also a session map that only grows)")
	seed           = flag.Int64("seed", 1, "random seed for request sizes and keys")
	duration       = flag.Duration("duration", 4*time.Second, "how long to serve")
	out            = flag.String("out", "out", "folder for samples and memstats.json")
	sampleEvery    = flag.Duration("sample", 200*time.Millisecond, "scrape interval")
	runtimeMetrics = flag.Bool("runtime-metrics", false, "also export client_golang's opt-in runtime/metrics GC series")
	leakPerSec     = flag.Int("leak-kb-per-sec", 1024, "leak mode: KiB added to the session map per second")
	cacheKB        = flag.Int("cache-kb", 6144, "steady mode: cache size in KiB")
	allocMBPerSec  = flag.Int("alloc-mb-per-sec", 120, "garbage allocated per second, MiB")
)

// store holds the service's maps: a bounded cache (both modes) and, in leak mode, a session
// map that nothing ever deletes from. mu guards both.
type store struct {
	mu       sync.Mutex
	cache    map[string][]byte
	keys     []string // cache keys, for random eviction
	bytes    int
	sessions map[string][]byte
}

// putCache adds to the cache, evicting random entries beyond -cache-kb.
func (s *store) putCache(rng *rand.Rand, key string, value []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.bytes+len(value) > *cacheKB<<10 && len(s.keys) > 0 {
		i := rng.Intn(len(s.keys))
		victim := s.keys[i]
		s.keys[i] = s.keys[len(s.keys)-1]
		s.keys = s.keys[:len(s.keys)-1]
		s.bytes -= len(s.cache[victim])
		delete(s.cache, victim)
	}
	if old, ok := s.cache[key]; ok {
		s.bytes -= len(old)
	} else {
		s.keys = append(s.keys, key)
	}
	s.cache[key] = value
	s.bytes += len(value)
}

// putSession is the leak: sessions are added and never removed.
func (s *store) putSession(key string, value []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[key] = value
}

var sink []byte

func main() {
	flag.Parse()
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	must(os.MkdirAll(filepath.Join(*out, "vars"), 0o755))
	must(os.MkdirAll(filepath.Join(*out, "metrics"), 0o755))

	reg := prometheus.NewRegistry()
	if *runtimeMetrics {
		reg.MustRegister(collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.MetricsGC)))
	} else {
		reg.MustRegister(collectors.NewGoCollector())
	}
	mux := http.NewServeMux()
	mux.Handle("/debug/vars", expvar.Handler())
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	go http.Serve(ln, mux)
	base := "http://" + ln.Addr().String()

	s := &store{cache: make(map[string][]byte), sessions: make(map[string][]byte)}
	rng := rand.New(rand.NewSource(*seed))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); serve(s, rng, stop) }()
	go func() { defer wg.Done(); sampleLoop(base, stop) }()
	time.Sleep(*duration)
	close(stop)
	wg.Wait()

	// Freeze the GC so the last samples and ReadMemStats agree on every GC counter.
	debug.SetGCPercent(-1)
	n := sampleCount
	scrape(base, n)
	writeMemStats(n)
	log.Printf("done: %d cache entries, %d sessions", len(s.cache), len(s.sessions))
}

// serve allocates garbage at a fixed rate and writes to the map, in 10 ms ticks.
func serve(s *store, rng *rand.Rand, stop <-chan struct{}) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	garbagePerTick := *allocMBPerSec << 20 / 100
	leakPerTick := *leakPerSec << 10 / 100
	requests := 0
	next := 0
	lastLog := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		for allocated := 0; allocated < garbagePerTick; {
			size := 512 + rng.Intn(8192)
			buf := make([]byte, size)
			buf[0] = byte(requests)
			sink = buf
			headers := map[string]string{"path": "/item/" + strconv.Itoa(rng.Intn(1000)), "id": strconv.Itoa(requests)}
			_ = headers
			allocated += size + 200
			requests++
		}
		for i := 0; i < 160; i++ {
			s.putCache(rng, "item-"+strconv.Itoa(rng.Intn(1<<20)), make([]byte, 256+rng.Intn(1024)))
		}
		if *mode == "leak" {
			for added := 0; added < leakPerTick; {
				size := 256 + rng.Intn(1024)
				s.putSession("session-"+strconv.Itoa(next), make([]byte, size))
				next++
				added += size
			}
		}
		if time.Since(lastLog) > 100*time.Millisecond {
			log.Printf("served %d requests, %d sessions", requests, next)
			lastLog = time.Now()
		}
	}
}

var sampleCount int

func sampleLoop(base string, stop <-chan struct{}) {
	tick := time.NewTicker(*sampleEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			scrape(base, sampleCount)
			sampleCount++
		}
	}
}

// scrape fetches both endpoints once and stores them in every form the fixtures use.
func scrape(base string, n int) {
	now := time.Now()
	vars := get(base + "/debug/vars")
	must(os.WriteFile(filepath.Join(*out, "vars", fmt.Sprintf("%04d.json", n)), vars, 0o644))
	var compact bytes.Buffer
	must(json.Compact(&compact, vars))
	compact.WriteByte('\n')
	appendFile("vars.jsonl", compact.Bytes())

	prom := get(base + "/metrics")
	must(os.WriteFile(filepath.Join(*out, "metrics", fmt.Sprintf("%04d.prom", n)), prom, 0o644))
	appendFile("metrics.prom", withTimestamps(prom, now.UnixMilli()))
}

// withTimestamps appends a millisecond timestamp to every sample line of a text exposition.
func withTimestamps(text []byte, ms int64) []byte {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		b.WriteString(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			b.WriteString(" " + strconv.FormatInt(ms, 10))
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// memStatsTruth is what the program reports about itself: the parsers must agree with it.
type memStatsTruth struct {
	GoVersion    string
	Mode         string
	Seed         int64
	GOGC         string
	Samples      int // scrapes taken, the last one after the GC was frozen
	NumGC        uint32
	NumForcedGC  uint32
	PauseTotalNs uint64
	// PausesNs holds the STW pause of each of the last min(NumGC, 256) cycles, oldest first.
	PausesNs []uint64
	// FirstPausedCycle is the GC number of PausesNs[0].
	FirstPausedCycle uint32
	HeapAlloc        uint64
	HeapInuse        uint64
	NextGC           uint64
	Mallocs          uint64
	Frees            uint64
	GCCPUFraction    float64
	// LiveHeapBytes is runtime/metrics /gc/heap/live:bytes: bytes marked by the last GC.
	LiveHeapBytes uint64
}

func writeMemStats(samples int) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	kept := ms.NumGC
	if kept > 256 {
		kept = 256
	}
	pauses := make([]uint64, 0, kept)
	for gc := ms.NumGC - kept + 1; gc <= ms.NumGC && kept > 0; gc++ {
		pauses = append(pauses, ms.PauseNs[(gc+255)%256])
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	truth := memStatsTruth{
		GoVersion: runtime.Version(), Mode: *mode, Seed: *seed, GOGC: os.Getenv("GOGC"), Samples: samples + 1,
		NumGC: ms.NumGC, NumForcedGC: ms.NumForcedGC, PauseTotalNs: ms.PauseTotalNs,
		PausesNs: pauses, FirstPausedCycle: ms.NumGC - kept + 1,
		HeapAlloc: ms.HeapAlloc, HeapInuse: ms.HeapInuse, NextGC: ms.NextGC,
		Mallocs: ms.Mallocs, Frees: ms.Frees, GCCPUFraction: ms.GCCPUFraction,
		LiveHeapBytes: live[0].Value.Uint64(),
	}
	data, err := json.MarshalIndent(truth, "", "  ")
	must(err)
	must(os.WriteFile(filepath.Join(*out, "memstats.json"), append(data, '\n'), 0o644))
}

func get(url string) []byte {
	resp, err := http.Get(url)
	must(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	must(err)
	return body
}

func appendFile(name string, data []byte) {
	f, err := os.OpenFile(filepath.Join(*out, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	must(err)
	defer f.Close()
	_, err = f.Write(data)
	must(err)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
