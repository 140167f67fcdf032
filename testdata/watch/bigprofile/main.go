// Command bigprofile serves one large Go heap profile, for bench/watch-soak.sh's cost
// measurement: 2^depth distinct allocation stacks about 60 frames deep (MemProfileRate = 1),
// each leaf also writing a map.
//
//	go run ./bigprofile -depth 15 -addr 127.0.0.1:0
//
// It prints "listening on http://ADDR" and "profile N bytes", then serves the profile it wrote
// once at /debug/pprof/heap (no GC or profiling work per request).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime"
	"runtime/pprof"
)

var (
	sink  [][]byte
	index = map[int]int{}
)

//go:noinline
func a(d, path int) {
	if d == 0 {
		pad(40, path)
		return
	}
	if path>>(d-1)&1 == 1 {
		b(d-1, path)
	} else {
		c(d-1, path)
	}
}

//go:noinline
func b(d, path int) { a(d, path) }

//go:noinline
func c(d, path int) { a(d, path) }

//go:noinline
func pad(n, path int) {
	if n > 0 {
		pad(n-1, path)
		return
	}
	sink = append(sink, make([]byte, 16+path%4*16))
	index[path] = len(sink)
}

func main() {
	depth := flag.Int("depth", 15, "2^depth distinct stacks")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	runtime.MemProfileRate = 1
	for path := 0; path < 1<<*depth; path++ {
		a(*depth, path)
	}
	runtime.GC()
	var profile bytes.Buffer
	if err := pprof.WriteHeapProfile(&profile); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s\nprofile %d bytes\n", ln.Addr(), profile.Len())
	data := profile.Bytes()
	http.HandleFunc("/debug/pprof/heap", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(data)
	})
	log.Fatal(http.Serve(ln, nil))
}
