#!/usr/bin/env bash
# Speed and peak memory of `mapguard heap` beside `go tool pprof -top` (what a user would
# otherwise run) on one big Go heap profile, in one run, as ratios.
#
# The profile is written by a Go program (below) with runtime.MemProfileRate = 1: a binary tree of
# calls 2^DEPTH leaves wide gives that many distinct allocation stacks (samples), each about 100
# frames deep, and every leaf also writes a map. Target: >= 50 MB uncompressed, >= 200k samples.
# mapguard does the whole job (decode, attribute every sample, rank, text report); pprof -top
# decodes and ranks functions.
# Usage: bench/heap.sh [DEPTH, default 19] [RUNS, default 3]. Needs go, /usr/bin/time, and a
# release build (made here, or MAPGUARD=path/to/release/mapguard).
set -euo pipefail
cd "$(dirname "$0")/.."
depth=${1:-19}
runs=${2:-3}
out=bench/out/heap
mkdir -p "$out"
target=${CARGO_TARGET_DIR:-target}
mapguard=${MAPGUARD:-} # a prebuilt release binary, else built here
if [[ -z "$mapguard" ]]; then
    cargo build -q --release -p mapguard
    mapguard="$target/release/mapguard"
fi
profile="$out/heap-d$depth.pb.gz"

if [[ ! -s "$profile" ]]; then
    prog="$out/gen"
    mkdir -p "$prog"
    cat >"$prog/go.mod" <<'GO'
module benchheap

go 1.23
GO
    cat >"$prog/main.go" <<'GO'
// Writes a heap profile with 2^depth distinct allocation stacks (MemProfileRate = 1).
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
)

var (
	sink  [][]byte
	index = map[int]int{}
)

//go:noinline
func a(d, path int) {
	if d == 0 {
		pad(60, path)
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
	runtime.MemProfileRate = 1
	depth, _ := strconv.Atoi(os.Args[2])
	for path := 0; path < 1<<depth; path++ {
		a(depth, path)
	}
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	f.Close()
}
GO
    (cd "$prog" && go run . "$OLDPWD/$profile" "$depth")
fi

uncompressed=$(gzip -dc "$profile" | wc -c)
echo "profile: $profile, $(du -h "$profile" | cut -f1) gzip, $((uncompressed / 1000000)) MB uncompressed"
go tool pprof -raw "$profile" 2>/dev/null | awk '/^Samples:/{s=1; next} /^Locations/{s=0} s && /:/ && $1 ~ /^[0-9]+$/ {n++} END {print "samples (go tool pprof -raw):", n}'

# measure NAME CMD...: median wall seconds and max peak RSS (KiB) over $runs runs.
measure() {
    local name=$1
    shift
    local walls=() rss=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -v "$@" >/dev/null 2>"$out/time.txt"
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$out/time.txt")")
        local r
        r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
        ((r > rss)) && rss=$r
    done
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    echo "$name $median $rss"
}

go tool pprof -top "$profile" >/dev/null 2>&1 # build/cache the pprof tool before timing
read -r _ pprof_s pprof_kb < <(measure pprof go tool pprof -top "$profile")
read -r _ mg_s mg_kb < <(measure mapguard "$mapguard" heap "$profile")
read -r _ src_s src_kb < <(measure mapguard-source "$mapguard" heap "$profile" --source "$out/gen")

printf '%-40s %10s %14s\n' "" "wall (s)" "peak RSS (MB)"
printf '%-40s %10s %14s\n' "go tool pprof -top" "$pprof_s" "$((pprof_kb / 1024))"
printf '%-40s %10s %14s\n' "mapguard heap" "$mg_s" "$((mg_kb / 1024))"
printf '%-40s %10s %14s\n' "mapguard heap --source (gen program)" "$src_s" "$((src_kb / 1024))"
ratio() {
    awk -v a="$pprof_s" -v b="$1" -v c="$pprof_kb" -v d="$2" -v name="$3" \
        'BEGIN { printf "%s: %.1fx faster, %.1fx less peak memory than go tool pprof -top (median of '"$runs"' runs)\n", name, a / b, c / d }'
}
ratio "$mg_s" "$mg_kb" "mapguard heap"
ratio "$src_s" "$src_kb" "mapguard heap --source"
