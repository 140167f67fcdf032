#!/usr/bin/env bash
# Regenerates the heap-profile fixtures of `mapguard heap` from real Go runs.
#
#   testdata/heap/gen.sh            # Go on PATH (1.26, Swiss maps) and Go 1.23.5 (classic maps)
#
# For each toolchain, mapsprog (MemProfileRate = 1) writes into profiles/<go>/:
#   heap.pb.gz         gzip profile.proto, as net/http/pprof serves it
#   heap.txt.gz        the legacy text format (debug=1), gzip-compressed to keep the repo small
#   series/heap-N.pb.gz four profiles while the `sessions` map leaks
#   cpu.pb.gz          a CPU profile (bad input for `mapguard heap`)
#   truth.json         runtime.MemProfile records with their full, untrimmed stacks: which
#                      allocations the map runtime made, at which user line (ground truth)
# and the expected per-sample-type totals, as `go tool pprof -raw` reads them, in <profile>.totals.
# Go 1.23 is fetched through the module proxy (GOTOOLCHAIN=go1.23.5).
set -euo pipefail
cd "$(dirname "$0")"

totals() { # profile -> "alloc_objects alloc_space inuse_objects inuse_space" per pprof
  go tool pprof -raw "$1" 2>/dev/null | awk '
    /^Samples:/ { s = 1; getline; print "#", $0; next }
    /^(Locations|Mappings)/ { s = 0 }
    s && /^ *-?[0-9]+( +-?[0-9]+)*:/ { sub(/:.*/, ""); for (i = 1; i <= NF; i++) t[i] += $i; n = NF }
    END { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") t[i]; print line }'
}

generate() { # dir, toolchain
  local dir=profiles/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  GOTOOLCHAIN=$2 go run ./mapsprog "$dir"
  gzip -9 -n "$dir/heap.txt"
  for p in "$dir"/heap.pb.gz "$dir"/heap.txt.gz "$dir"/series/*.pb.gz; do
    totals "$p" >"$p.totals"
  done
}

generate go1.26 local
generate go1.23 go1.23.5
