#!/usr/bin/env bash
# mapguard check over Go's standard library, beside what a user would otherwise run:
#   - the parse floor: tree-sitter parsing every file mapguard reads, nothing else
#     (`cargo run --example parse_floor`), same parallelism;
#   - `go vet std` with a cold build cache.
# Prints files, lines, wall time and peak RSS of each, and the ratios.
# Usage: bench/check.sh [GOROOT_SRC]   (default: $(go env GOROOT)/src)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-$(go env GOROOT)/src}
out=bench/out
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null
command -v bc >/dev/null || apt-get install -y bc >/dev/null

cargo build --release -q -p mapguard
cargo build --release -q -p mapguard_go --example parse_floor
target=${CARGO_TARGET_DIR:-$PWD/target}
bin=$target/release/mapguard
floor=$target/release/examples/parse_floor

files=$(find "$src" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' | wc -l)
lines=$(find "$src" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' -print0 | xargs -0 cat | wc -l)

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  read -r wall rss < <(tail -n 1 "$out/$name.time")
  printf '%-22s wall %8.2f s   peak RSS %8.1f MiB\n' "$name" "$wall" "$(echo "$rss/1024" | bc -l)"
  eval "${name//-/_}_wall=$wall; ${name//-/_}_rss=$rss"
}

echo "GOROOT/src: $src ($files .go files outside testdata/vendor, $lines lines)"
measure parse-floor "$floor" "$src"
measure mapguard-check bash -c "cd '$src' && '$bin' check ./... --format json > '$OLDPWD/$out/check.json'"
measure mapguard-no-MG1 bash -c "cd '$src' && '$bin' check ./... --ignore MG1 --format json > /dev/null"
if [ "${SKIP_GO_VET:-}" != 1 ]; then
  cache=$(mktemp -d)
  measure go-vet-std-cold env GOCACHE="$cache" GOFLAGS=-mod=mod go vet std
  rm -rf "$cache"
fi

findings=$(python3 -c "import json;d=json.load(open('$out/check.json'));print(len(d['diagnostics']), 'diagnostics,', sum(1 for x in d['diagnostics'] if x['code']=='MG000'), 'syntax warnings,', len(d.get('errors',[])), 'input errors')")
echo "mapguard: $findings"
echo "ratio mapguard/parse-floor: $(echo "$mapguard_check_wall/$parse_floor_wall" | bc -l | cut -c1-5)x"
echo "concurrency rules (MG1xx) add: $(echo "($mapguard_check_wall/$mapguard_no_MG1_wall - 1)*100" | bc -l | cut -c1-5)% to check's wall time"
if [ -n "${go_vet_std_cold_wall:-}" ]; then
  echo "ratio go-vet-std-cold/mapguard: $(echo "$go_vet_std_cold_wall/$mapguard_check_wall" | bc -l | cut -c1-6)x"
fi
