#!/usr/bin/env bash
# Regenerates testdata/gc/fixtures: the ground truth for `mapguard gc`.
#
# Builds service/ (Go 1.26+; client_golang comes from the Go module proxy) and runs it in steady
# and leak mode at GOGC 50, 100 and 200 under GODEBUG=gctrace=1, for 4 s each. Every run keeps
# gctrace.log (stderr: gctrace lines interleaved with the service's own log) and memstats.json
# (runtime.ReadMemStats at the end, with the GC frozen). Two runs also keep their self-scraped
# series: steady-gogc100 as expvar JSON Lines and one Prometheus file with timestamps;
# leak-gogc50 (with client_golang's opt-in GC runtime metrics) as folders of one file per scrape.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd service && go build -o "$work/service" .)
rm -rf fixtures
mkdir -p fixtures

run() {
    local name=$1 gogc=$2
    shift 2
    local dir="$work/$name"
    mkdir -p "$dir"
    GOGC=$gogc GODEBUG=gctrace=1 "$work/service" -out "$dir" -duration 4s "$@" 2>"$dir/gctrace.log"
    mkdir -p "fixtures/$name"
    cp "$dir/gctrace.log" "$dir/memstats.json" "fixtures/$name/"
}

run steady-gogc100 100 -mode steady -seed 1 &
run leak-gogc50 50 -mode leak -seed 2 -runtime-metrics &
wait
run steady-gogc50 50 -mode steady -seed 3 &
run leak-gogc100 100 -mode leak -seed 4 &
wait
run steady-gogc200 200 -mode steady -seed 5 &
run leak-gogc200 200 -mode leak -seed 6 &
wait

cp "$work/steady-gogc100/vars.jsonl" "$work/steady-gogc100/metrics.prom" fixtures/steady-gogc100/
cp -r "$work/leak-gogc50/vars" "$work/leak-gogc50/metrics" fixtures/leak-gogc50/
du -sh fixtures
