// Command leaksvc is the Go service mapguard watch's tests scrape: it serves
// net/http/pprof, expvar (/debug/vars) and client_golang (/metrics) on loopback
// and leaks into a package-level map on demand.
//
//	go run . [-addr 127.0.0.1:0]
//
// It prints "listening on http://ADDR" once it accepts connections. Endpoints:
//
//	/leak?n=N       adds N entries of 256 bytes to the leaking map (default 10000)
//	/stall?ms=M     makes every later request wait M milliseconds (0 turns it off)
//	/quit           exits the process
package main

import (
	_ "expvar"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	mu     sync.Mutex
	leaked = map[int64][256]byte{}
	next   int64
	stall  atomic.Int64 // milliseconds
)

func leak(n int) int {
	mu.Lock()
	defer mu.Unlock()
	for i := 0; i < n; i++ {
		next++
		leaked[next] = [256]byte{byte(next)}
	}
	return len(leaked)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	// Sample every 4 KiB so small test leaks are seen at once.
	runtime.MemProfileRate = 4096

	http.Handle("/metrics", promhttp.Handler())
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n <= 0 {
			n = 10000
		}
		fmt.Fprintf(w, "entries %d\n", leak(n))
	})
	http.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.ParseInt(r.URL.Query().Get("ms"), 10, 64)
		stall.Store(ms)
		fmt.Fprintf(w, "stall %dms\n", ms)
	})
	http.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "bye")
		go func() { time.Sleep(50 * time.Millisecond); os.Exit(0) }()
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ms := stall.Load(); ms > 0 && r.URL.Path != "/stall" && r.URL.Path != "/quit" {
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		http.DefaultServeMux.ServeHTTP(w, r)
	})
	log.Fatal(http.Serve(ln, handler))
}
