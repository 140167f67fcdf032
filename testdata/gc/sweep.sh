#!/usr/bin/env bash
# The verdict measure: 20 steady and 20 leaking runs of service/, each analysed by `mapguard gc`
# from its gctrace log, its expvar JSON Lines and its Prometheus scrapes.
#
# Runs vary seed, duration (3–6 s), GOGC (50–400), cache size and allocation rate; leaking runs
# leak 1 to 3 MB/s into a map that is never deleted from (beside the same bounded cache a
# steady run has): over a run the leak adds 35% to several times the live heap. Smaller leaks
# (256–512 KB/s, about 10–25% over a few seconds) sit inside the MiB rounding and GC noise of such
# short runs; docs/commands/gc.md gives their detection rate separately.
# Prints one row per run and the accuracy per input format; the result is recorded in
# docs/commands/gc.md. Usage: testdata/gc/sweep.sh [mapguard binary]
# SWEEP_SEED_BASE (default 7) shifts every seed (for runs other than the recorded ones);
# SWEEP_KEEP=DIR keeps the runs' logs and series in DIR. SWEEP_SAMPLE (default 100ms) is the
# expvar/Prometheus scrape interval: 30–60 snapshots per run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
mapguard=${1:-}
if [[ -z "$mapguard" ]]; then
    (cd "$root" && cargo build -q -p mapguard)
    mapguard="${CARGO_TARGET_DIR:-$root/target}/debug/mapguard"
fi
seed_base=${SWEEP_SEED_BASE:-7}
sample=${SWEEP_SAMPLE:-100ms}
if [[ -n "${SWEEP_KEEP:-}" ]]; then
    work=$SWEEP_KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
(cd service && go build -o "$work/service" .)

gogcs=(50 100 200 400)
leaks=(1024 1536 2048 3072)
caches=(4096 6144 8192)
allocs=(60 120 200)

run() {
    local mode=$1 i=$2
    local dir="$work/$mode-$i"
    local duration=$((3 + i % 4)) gogc=${gogcs[$((i % 4))]} leak=${leaks[$(((i / 4) % 4))]}
    local cache=${caches[$((i % 3))]} alloc=${allocs[$(((i / 3) % 3))]}
    mkdir -p "$dir"
    GOGC=$gogc GODEBUG=gctrace=1 "$work/service" -mode "$mode" -seed $((1000 * i + seed_base)) \
        -duration "${duration}s" -cache-kb "$cache" -alloc-mb-per-sec "$alloc" \
        -leak-kb-per-sec "$leak" -sample "$sample" -out "$dir" 2>"$dir/gctrace.log"
    local params="seed=$((1000 * i + seed_base)) ${duration}s GOGC=$gogc cache=${cache}KB alloc=${alloc}MB/s"
    [[ $mode == leak ]] && params="$params leak=${leak}KB/s"
    echo "$params" >"$dir/params"
}

verdict() {
    "$mapguard" gc "$1" 2>/dev/null | awk '/^  verdict/ { $1 = ""; sub(/^ /, ""); sub(/ \(.*/, ""); print; exit }'
}

for i in $(seq 0 19); do
    run steady "$i" &
    run leak "$i" &
    wait
done

declare -A right=()
printf '| run | parameters | gctrace | expvar | prometheus |\n|---|---|---|---|---|\n'
for mode in steady leak; do
    want="no leak"
    [[ $mode == leak ]] && want="LEAK"
    for i in $(seq 0 19); do
        dir="$work/$mode-$i"
        row="| $mode-$i | $(cat "$dir/params") |"
        for input in gctrace.log vars.jsonl metrics.prom; do
            got=$(verdict "$dir/$input")
            if [[ "$got" == "$want" ]]; then
                right[$mode/$input]=$((${right[$mode/$input]:-0} + 1))
                row="$row $got |"
            else
                row="$row **$got** |"
            fi
        done
        echo "$row"
    done
done
echo
for input in gctrace.log vars.jsonl metrics.prom; do
    echo "$input: steady right ${right[steady/$input]:-0}/20, leaking right ${right[leak/$input]:-0}/20"
done
