// Command mapsize measures how many heap bytes Go maps take, as ground truth for `mapguard size`.
//
// Method (shared/research/runtime-anchors.md §8): keys and values are built first; then two
// runtime.GC() calls, ReadMemStats, make the map (escaping to a package variable), insert n keys,
// apply the operation, two more GCs, ReadMemStats. The HeapAlloc delta is the map's live bytes.
// Each case runs -runs times; the output line lists every run.
//
// Output, one tab-separated line per case (go-version is runtime.Version(), e.g. "go1.24.4
// X:noswissmap" for an experiment build):
//
//	type  n  hint  op  go-version  goarch  bytes,bytes,...
//
// hint is -1 for make(map[K]V) without a size. op is fill, delete90 (delete the first 90% of the
// keys), clear (clear(m)) or reassign (m = make(map[K]V) after filling).
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// Session is a pointer-rich value type, sized for mapguard by reading this file (--types).
type Session struct {
	ID      [16]byte
	User    string
	Expires int64
	Roles   []string
}

// Point is a small struct key.
type Point struct {
	X int64
	Y int32
}

var sink any

// measure returns the HeapAlloc delta of one map built from keys/vals.
func measure[K comparable, V any](keys []K, vals []V, n, hint int, op string) int64 {
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var m map[K]V
	if hint < 0 {
		m = make(map[K]V)
	} else {
		m = make(map[K]V, hint)
	}
	for i := 0; i < n; i++ {
		m[keys[i]] = vals[i]
	}
	switch op {
	case "delete90":
		for i := 0; i < n*9/10; i++ {
			delete(m, keys[i])
		}
	case "clear":
		clear(m)
	case "reassign":
		sink = m
		m = make(map[K]V)
	}
	sink = m
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	sink = nil
	runtime.KeepAlive(keys)
	runtime.KeepAlive(vals)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// kind builds keys and values for one map type and measures it.
type kind struct {
	typ string
	run func(n, hint int, op string) int64
}

func gen[T any](n int, f func(i int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func mk[K comparable, V any](typ string, key func(int) K, val func(int) V) kind {
	return kind{typ, func(n, hint int, op string) int64 {
		return measure(gen(n, key), gen(n, val), n, hint, op)
	}}
}

func i64(i int) int64 { return int64(i) }

func str(i int) string { return "key-" + strconv.Itoa(i) }

var kinds = []kind{
	mk("map[int64]int64", i64, i64),
	mk("map[string]int", str, func(i int) int { return i }),
	mk("map[int32]int8", func(i int) int32 { return int32(i) }, func(i int) int8 { return int8(i) }),
	mk("map[int64]struct{}", i64, func(int) struct{} { return struct{}{} }),
	mk("map[int64][200]byte", i64, func(int) [200]byte { return [200]byte{} }),
	mk("map[[200]byte]int64", func(i int) (k [200]byte) {
		binary.LittleEndian.PutUint64(k[:], uint64(i))
		return k
	}, i64),
	mk("map[string]*Session", str, func(int) *Session { return &Session{} }),
	mk("map[string]Session", str, func(int) Session { return Session{} }),
	mk("map[int64][100]byte", i64, func(int) [100]byte { return [100]byte{} }),
	mk("map[Point]bool", func(i int) Point { return Point{int64(i), int32(i)} }, func(int) bool { return true }),
	mk("map[any]int", func(i int) any { return int64(i) }, func(i int) int { return i }),
	mk("map[float64]string", func(i int) float64 { return float64(i) }, func(int) string { return "v" }),
}

// cases: type, n, hint, op. Chosen to cover empty/small maps, the first table/bucket growth,
// hints, mid-growth points, large maps, out-of-line keys and values, deletes and clear.
var cases = []struct {
	typ  string
	n    int
	hint int
	op   string
}{
	{"map[int64]int64", 0, -1, "fill"},
	{"map[int64]int64", 1, -1, "fill"},
	{"map[int64]int64", 8, -1, "fill"},
	{"map[int64]int64", 9, 9, "fill"},
	{"map[int64]int64", 15, -1, "fill"},
	{"map[int64]int64", 100, 100, "fill"},
	{"map[int64]int64", 105, 105, "fill"},
	{"map[int64]int64", 105, -1, "fill"},
	{"map[int64]int64", 500, -1, "fill"},
	{"map[int64]int64", 897, 897, "fill"},
	{"map[int64]int64", 1000, 1000, "fill"},
	{"map[int64]int64", 5000, -1, "fill"},
	{"map[int64]int64", 100000, 100000, "fill"},
	{"map[int64]int64", 100000, -1, "fill"},
	{"map[int64]int64", 1000000, 1000000, "fill"},
	{"map[int64]int64", 1000000, -1, "fill"},
	{"map[int64]int64", 0, 1000, "fill"},
	{"map[int64]int64", 10, 1000, "fill"},
	{"map[int64]int64", 100000, -1, "delete90"},
	{"map[int64]int64", 100000, -1, "clear"},
	{"map[int64]int64", 100000, -1, "reassign"},
	{"map[string]int", 0, -1, "fill"},
	{"map[string]int", 8, -1, "fill"},
	{"map[string]int", 9, 9, "fill"},
	{"map[string]int", 15, -1, "fill"},
	{"map[string]int", 100, 100, "fill"},
	{"map[string]int", 105, 105, "fill"},
	{"map[string]int", 500, -1, "fill"},
	{"map[string]int", 1000, 1000, "fill"},
	{"map[string]int", 100000, 100000, "fill"},
	{"map[string]int", 1000000, 1000000, "fill"},
	{"map[string]int", 1000000, -1, "fill"},
	{"map[int32]int8", 1, -1, "fill"},
	{"map[int32]int8", 200, 200, "fill"},
	{"map[int32]int8", 10000, -1, "fill"},
	{"map[int64]struct{}", 1, -1, "fill"},
	{"map[int64]struct{}", 1000, 1000, "fill"},
	{"map[int64]struct{}", 50000, -1, "fill"},
	{"map[int64][200]byte", 1, -1, "fill"},
	{"map[int64][200]byte", 1000, 1000, "fill"},
	{"map[int64][200]byte", 20000, -1, "fill"},
	{"map[int64][200]byte", 20000, -1, "delete90"},
	{"map[int64][200]byte", 20000, -1, "clear"},
	{"map[[200]byte]int64", 100, 100, "fill"},
	{"map[[200]byte]int64", 10000, -1, "fill"},
	{"map[string]*Session", 1000, 1000, "fill"},
	{"map[string]*Session", 50000, -1, "fill"},
	{"map[string]Session", 1000, 1000, "fill"},
	{"map[string]Session", 50000, -1, "fill"},
	{"map[int64][100]byte", 100, 100, "fill"},
	{"map[int64][100]byte", 10000, -1, "fill"},
	{"map[Point]bool", 300, 300, "fill"},
	{"map[Point]bool", 30000, -1, "fill"},
	{"map[any]int", 1000, 1000, "fill"},
	{"map[any]int", 20000, -1, "fill"},
	{"map[float64]string", 64, 64, "fill"},
	{"map[float64]string", 4000, -1, "fill"},
}

func main() {
	runs := flag.Int("runs", 9, "measurements per case")
	filter := flag.String("cases", "", "regexp over `type n hint op`; only matching cases run")
	flag.Parse()
	re, err := regexp.Compile(*filter)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mapsize: -cases:", err)
		os.Exit(2)
	}
	byType := map[string]kind{}
	for _, k := range kinds {
		byType[k.typ] = k
	}
	for _, c := range cases {
		id := fmt.Sprintf("%s %d %d %s", c.typ, c.n, c.hint, c.op)
		if !re.MatchString(id) {
			continue
		}
		k, ok := byType[c.typ]
		if !ok {
			fmt.Fprintln(os.Stderr, "mapsize: no generator for", c.typ)
			os.Exit(2)
		}
		var got []int64
		for r := 0; r < *runs; r++ {
			got = append(got, k.run(c.n, c.hint, c.op))
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		parts := make([]string, len(got))
		for i, g := range got {
			parts[i] = strconv.FormatInt(g, 10)
		}
		fmt.Printf("%s\t%d\t%d\t%s\t%s\t%s\t%s\n", c.typ, c.n, c.hint, c.op, runtime.Version(), runtime.GOARCH, strings.Join(parts, ","))
	}
}
