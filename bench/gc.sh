#!/usr/bin/env bash
# Throughput of `mapguard gc` on a long gctrace log, beside an awk one-liner that pulls the same
# fields out of every gc line (what a user would otherwise run), in one run.
#
# The log is the testdata/gc fixtures' gc lines repeated with rising cycle numbers and times, with
# one application log line after every ten gc lines. mapguard does the whole job (parse, split,
# pause quantiles, trend, verdict, JSON); awk only extracts the 20 fields and sums two.
# Usage: bench/gc.sh [gc lines, default 2000000]. Builds mapguard in release mode unless
# MAPGUARD names a binary.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-2000000}
out=bench/out
mkdir -p "$out"
log="$out/gctrace-$lines.log"
if [[ -n "${MAPGUARD:-}" ]]; then
    mapguard=$MAPGUARD
else
    cargo build -q --release -p mapguard
    mapguard="${CARGO_TARGET_DIR:-target}/release/mapguard"
fi

if [[ ! -s "$log" ]]; then
    cat testdata/gc/fixtures/*/gctrace.log | grep '^gc ' |
        awk -v want="$lines" '
            {
                # Keep each template line without its "gc N @secs" head.
                sub(/^gc [0-9]+ @[0-9.]+s/, "")
                tail[n++] = $0
            }
            END {
                for (i = 1; i <= want; i++) {
                    printf "gc %d @%.3fs%s\n", i, i * 0.05, tail[(i - 1) % n]
                    if (i % 10 == 0) printf "12:00:00.%06d served %d requests, %d sessions\n", i % 1000000, i, i
                }
            }' >"$log"
fi
echo "log: $log, $lines gc lines, $(wc -l <"$log") lines, $(du -h "$log" | cut -f1)"

# The fields mapguard reads: N, @secs, pct, 3 clock, 5 cpu, 3 heap, goal, stacks, globals, P.
awk_prog='/^gc [0-9]+ @/ {
    n = $2; t = substr($3, 2, length($3) - 2); pct = $4 + 0
    split($5, clock, "+"); split($8, cpu, "[+/]"); split($11, heap, "->")
    goal = $13; stacks = $16; globals = $19; procs = $22
    stw += clock[1] + clock[3]; live += heap[3]; count++
}
END { printf "awk: %d gc lines, STW %.1f ms, mean live %.1f MB\n", count, stw, live / count }'

time_it() {
    local name=$1
    shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$out/rss-$name" "$@" >"$out/stdout-$name"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

secs_mg=$(time_it mapguard "$mapguard" gc --format json "$log")
secs_awk=$(time_it awk awk "$awk_prog" "$log")
read -r rss_mg user_mg sys_mg <"$out/rss-mapguard"
read -r rss_awk user_awk sys_awk <"$out/rss-awk"
cat "$out/stdout-awk"
grep -m1 '"kind"' "$out/stdout-mapguard" | sed 's/^ */mapguard verdict: /'

# Wall time suffers when the machine is shared; CPU time (user + sys) is shown beside it.
AWK_NAME=$(awk -W version 2>/dev/null | head -1 | cut -d' ' -f1-2 || echo awk) awk -v n="$lines" \
    -v a="$secs_mg" -v b="$secs_awk" -v ra="$rss_mg" -v rb="$rss_awk" \
    -v ca="$(echo "$user_mg + $sys_mg" | bc)" -v cb="$(echo "$user_awk + $sys_awk" | bc)" 'BEGIN {
    printf "%-28s %8s %14s %9s %16s %10s\n", "", "wall s", "gc lines/s", "CPU s", "lines/CPU-s", "peak RSS"
    printf "%-28s %8.2f %14.0f %9.2f %16.0f %7.0f MB\n", "mapguard gc --format json", a, n / a, ca, n / ca, ra / 1024
    printf "%-28s %8.2f %14.0f %9.2f %16.0f %7.0f MB\n", ENVIRON["AWK_NAME"] " (fields only)", b, n / b, cb, n / cb, rb / 1024
    printf "mapguard / awk: %.2fx by wall time, %.2fx by CPU time\n", b / a, cb / ca
}'
