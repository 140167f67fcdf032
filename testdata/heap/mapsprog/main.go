// Command mapsprog builds maps at known lines and writes heap profiles (runtime.MemProfileRate = 1),
// plus the runtime's own record of which allocations came from map internals (ground truth for
// mapguard heap: runtime.MemProfile keeps the full stacks that runtime/pprof trims).
//
// Lines that make, write or clone a map carry a `// mapsite: <kind> <type> <name>` marker; tests read the
// markers to know which line holds which map.
//
// Usage: mapsprog OUTDIR
package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

type record struct {
	id   int64
	name string
	tags [4]int64
}

var (
	byName   map[string]int
	byID     map[int64]int64
	records  map[int64]record
	blobs    map[int64][200]byte
	small    map[int32]int8
	cloned   map[string]int
	settings map[string]int
	sessions map[string][]byte
	keys     []string
	sink     []byte
)

func makeKeys(n int) {
	keys = make([]string, n)
	for i := range keys {
		keys[i] = "key-" + strconv.Itoa(i)
	}
}

func buildByName(n int) {
	byName = make(map[string]int) // mapsite: make map[string]int byName
	for i, k := range keys[:n] {
		byName[k] = i // mapsite: assign map[string]int byName
	}
}

func buildByID(n int) {
	byID = make(map[int64]int64, n) // mapsite: make map[int64]int64 byID
	for i := range n {
		byID[int64(i)] = int64(i) * 3 // mapsite: assign map[int64]int64 byID
	}
}

func buildRecords(n int) {
	records = make(map[int64]record, 100) // mapsite: make map[int64]record records
	for i := range n {
		records[int64(i)] = record{id: int64(i), name: keys[i]} // mapsite: assign map[int64]record records
	}
}

func buildBlobs(n int) {
	blobs = map[int64][200]byte{} // mapsite: make map[int64][200]byte blobs
	for i := range n {
		blobs[int64(i)] = [200]byte{byte(i)} // mapsite: assign map[int64][200]byte blobs
	}
}

func buildSmall() {
	small = make(map[int32]int8) // mapsite: make map[int32]int8 small
	for i := range 7 {
		small[int32(i)] = int8(i) // mapsite: assign map[int32]int8 small
	}
}

func cloneByName() {
	cloned = maps.Clone(byName) // mapsite: clone map[string]int cloned
}

func decodeSettings() {
	var b strings.Builder
	b.WriteString("{")
	for i := range 300 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:%d", "setting"+strconv.Itoa(i), i)
	}
	b.WriteString("}")
	if err := json.Unmarshal([]byte(b.String()), &settings); err != nil { // mapsite: reflect map[string]int settings
		panic(err)
	}
}

// growSessions is the leak: every step adds entries and never deletes. Each value is allocated on
// the same line as the map write.
func growSessions(from, to int) {
	if sessions == nil {
		sessions = make(map[string][]byte) // mapsite: make map[string][]byte sessions
	}
	for i := from; i < to; i++ {
		sessions["s"+strconv.Itoa(i)] = make([]byte, 48) // mapsite: assign map[string][]byte sessions
	}
}

// truthRecord is one runtime.MemProfile record, classified by its full (untrimmed) stack: the
// runtime frames runtime/pprof trims away tell whether the allocation was made by map internals.
type truthRecord struct {
	Leaf         string `json:"leaf"`
	File         string `json:"file"`
	Line         int    `json:"line"`
	MapInternal  bool   `json:"map_internal"`
	MapFrame     string `json:"map_frame,omitempty"`
	Size         int64  `json:"size"`
	AllocObjects int64  `json:"alloc_objects"`
	AllocBytes   int64  `json:"alloc_bytes"`
	InuseObjects int64  `json:"inuse_objects"`
	InuseBytes   int64  `json:"inuse_bytes"`
}

func isRuntimeFrame(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/runtime/")
}

// isMapRuntimeFrame reports runtime frames that allocate for a map (classic and Swiss runtimes).
func isMapRuntimeFrame(fn string) bool {
	if strings.HasPrefix(fn, "internal/runtime/maps.") {
		return true
	}
	name, ok := strings.CutPrefix(fn, "runtime.")
	if !ok {
		return false
	}
	for _, p := range []string{"makemap", "mapassign", "mapclone", "moveToBmap", "hashGrow", "growWork", "evacuate", "makeBucketArray", "(*hmap)", "(*bmap)", "mapaccess", "mapclear"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isMapLeaf reports the non-runtime functions that are map internals under another name.
func isMapLeaf(fn string) bool {
	return strings.HasPrefix(fn, "reflect.mapassign") || fn == "reflect.makemap" || fn == "maps.clone"
}

func classify(r runtime.MemProfileRecord) truthRecord {
	t := truthRecord{
		AllocObjects: r.AllocObjects, AllocBytes: r.AllocBytes,
		InuseObjects: r.InUseObjects(), InuseBytes: r.InUseBytes(),
	}
	if r.AllocObjects > 0 {
		t.Size = r.AllocBytes / r.AllocObjects
	}
	frames := runtime.CallersFrames(r.Stack())
	for {
		f, more := frames.Next()
		switch {
		case t.Leaf == "" && isRuntimeFrame(f.Function):
			if t.MapFrame == "" && isMapRuntimeFrame(f.Function) {
				t.MapInternal, t.MapFrame = true, f.Function
			}
		case t.Leaf == "":
			t.Leaf = f.Function
			if isMapLeaf(f.Function) {
				t.MapInternal, t.MapFrame = true, f.Function
			}
		}
		if strings.HasPrefix(f.Function, "main.") {
			t.File, t.Line = filepath.Base(f.File), f.Line
			break
		}
		if !more {
			break
		}
	}
	// Map allocations made inside a library (not at a user line, not through reflect or maps.Clone)
	// are not map sites of this program.
	if t.MapInternal && !strings.HasPrefix(t.Leaf, "main.") && !isMapLeaf(t.Leaf) {
		t.MapInternal = false
	}
	return t
}

func writeTruth(path string) {
	n, _ := runtime.MemProfile(nil, true)
	recs := make([]runtime.MemProfileRecord, n+100)
	n, ok := runtime.MemProfile(recs, true)
	if !ok {
		panic("MemProfile: buffer too small")
	}
	var b strings.Builder
	b.WriteString("[\n")
	first := true
	for _, r := range recs[:n] {
		t := classify(r)
		if t.File == "" || !(strings.HasPrefix(t.Leaf, "main.") || isMapLeaf(t.Leaf)) {
			continue // only allocations made at this program's lines
		}
		line, err := json.Marshal(t)
		must(err)
		if !first {
			b.WriteString(",\n")
		}
		first = false
		b.Write(line)
	}
	b.WriteString("\n]\n")
	must(os.WriteFile(path, []byte(b.String()), 0o644))
}

func writeHeap(path string, debug int) {
	f, err := os.Create(path)
	must(err)
	must(pprof.Lookup("heap").WriteTo(f, debug))
	must(f.Close())
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	runtime.MemProfileRate = 1
	out := os.Args[1]
	must(os.MkdirAll(filepath.Join(out, "series"), 0o755))

	makeKeys(20000)
	buildByName(20000)
	buildByID(5000)
	buildRecords(3000)
	buildBlobs(500)
	buildSmall()
	cloneByName()
	decodeSettings()

	// A CPU profile, to check that mapguard refuses it.
	cpu, err := os.Create(filepath.Join(out, "cpu.pb.gz"))
	must(err)
	must(pprof.StartCPUProfile(cpu))
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) {
		sink = make([]byte, 16)
	}
	pprof.StopCPUProfile()
	must(cpu.Close())

	// The series: the session map leaks, everything else stays.
	for step := 1; step <= 4; step++ {
		growSessions((step-1)*5000, step*5000)
		runtime.GC()
		writeHeap(filepath.Join(out, "series", fmt.Sprintf("heap-%d.pb.gz", step)), 0)
		time.Sleep(20 * time.Millisecond)
	}

	runtime.GC()
	writeHeap(filepath.Join(out, "heap.pb.gz"), 0)
	writeHeap(filepath.Join(out, "heap.txt"), 1)
	writeTruth(filepath.Join(out, "truth.json"))
	fmt.Fprintln(os.Stderr, "wrote", out, runtime.Version())
	runtime.KeepAlive(byName)
}
