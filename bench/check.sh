#!/usr/bin/env bash
# mapguard check over Go's standard library, beside what a user would otherwise run:
#   - the parse floor: tree-sitter parsing every file mapguard parses, nothing else
#     (`cargo run --example parse_floor`), same parallelism, two ways: each tree dropped once
#     parsed (parse-floor, the bare cost of parsing) and every tree kept to the end
#     (parse-floor-keep, a tool that parses everything before analysing it);
#   - `go vet std` with a cold build cache.
# Prints files, lines, wall time, CPU time and peak RSS of each, and the ratios.
# Usage: bench/check.sh [GOROOT_SRC]   (default: $(go env GOROOT)/src)
# Environment: RUNS=n runs the floor and both checks n times, interleaved, and keeps each one's
# fastest wall time (for machines shared with other work; default 1). SKIP_GO_VET=1 skips go vet.
# CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-$(go env GOROOT)/src}
runs=${RUNS:-1}
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

measure() { # name, command...  (keeps the fastest run's wall time, CPU time and peak RSS)
  local name=$1; shift
  local var=${name//-/_}
  /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  read -r wall rss user sys < <(tail -n 1 "$out/$name.time")
  local best=${!var+x}
  if [ -z "$best" ] || (( $(echo "$wall < ${!var}" | bc -l) )); then
    printf -v "$var" '%s' "$wall"
    printf -v "${var}_rss" '%s' "$rss"
    printf -v "${var}_cpu" '%s' "$(echo "$user + $sys" | bc -l)"
  fi
}

report() { # name
  local var=${1//-/_}
  local rss=${var}_rss cpu=${var}_cpu
  printf '%-22s wall %8.2f s   cpu %8.2f s   peak RSS %8.1f MiB\n' "$1" "${!var}" "${!cpu}" "$(echo "${!rss}/1024" | bc -l)"
}

echo "GOROOT/src: $src ($files .go files outside testdata/vendor, $lines lines)"
echo "load before: $(uptime)"
for _ in $(seq "$runs"); do
  measure parse-floor "$floor" "$src"
  measure parse-floor-keep "$floor" "$src" --keep
  measure mapguard-check bash -c "cd '$src' && '$bin' check ./... --format json > '$OLDPWD/$out/check.json'"
  measure mapguard-no-MG1 bash -c "cd '$src' && '$bin' check ./... --ignore MG1 --format json > /dev/null"
done
report parse-floor
report parse-floor-keep
report mapguard-check
report mapguard-no-MG1
if [ "${SKIP_GO_VET:-}" != 1 ]; then
  cache=$(mktemp -d)
  measure go-vet-std-cold env GOCACHE="$cache" GOFLAGS=-mod=mod go vet std
  rm -rf "$cache"
  report go-vet-std-cold
fi
echo "load after: $(uptime)"

findings=$(python3 -c "import json;d=json.load(open('$out/check.json'));print(len(d['diagnostics']), 'diagnostics,', sum(1 for x in d['diagnostics'] if x['code']=='MG000'), 'syntax warnings,', len(d.get('errors',[])), 'input errors')")
echo "mapguard: $findings"
echo "ratio mapguard/parse-floor: $(echo "$mapguard_check/$parse_floor" | bc -l | cut -c1-5)x (cpu $(echo "$mapguard_check_cpu/$parse_floor_cpu" | bc -l | cut -c1-5)x)"
echo "ratio mapguard/parse-floor-keep: $(echo "$mapguard_check/$parse_floor_keep" | bc -l | cut -c1-5)x (cpu $(echo "$mapguard_check_cpu/$parse_floor_keep_cpu" | bc -l | cut -c1-5)x)"
echo "ratio mapguard --ignore MG1/parse-floor: $(echo "$mapguard_no_MG1/$parse_floor" | bc -l | cut -c1-5)x"
echo "concurrency rules (MG1xx) add: $(echo "($mapguard_check/$mapguard_no_MG1 - 1)*100" | bc -l | cut -c1-5)% to check's wall time"
if [ -n "${go_vet_std_cold:-}" ]; then
  echo "ratio go-vet-std-cold/mapguard: $(echo "$go_vet_std_cold/$mapguard_check" | bc -l | cut -c1-6)x"
fi
