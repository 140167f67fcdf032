#!/usr/bin/env bash
# Soak and cost of `mapguard watch` (issue 7's measures), in one run:
#  1. soak: SOAK_SECS (default 600) at a 1 s interval against the Go service in testdata/watch
#     while it is restarted RESTARTS (20) times and stalls past the timeout STALLS (10) times.
#     watch must never exit, every gap must be recorded as a failed scrape, and its RSS may grow
#     less than 10% after the warm-up (first tenth of the run).
#  2. kill -9: KILLS (5) times mid-run. After each, PRAGMA integrity_check is ok and every scrape
#     watch had counted as committed (mapguard_scrapes_total read just before the kill) is stored.
#  3. cost: `watch --once` (fetch, decode, attribute, store) of a big heap profile (DEPTH 19:
#     2^19 stacks, several MB gzip) beside `go tool pprof -top URL`, what a user would otherwise
#     run, as a ratio; and watch's idle RSS (one target, 10 s interval).
# Usage: bench/watch-soak.sh   env: MAPGUARD=path/to/release/mapguard SOAK_SECS RESTARTS STALLS
#        KILLS DEPTH RUNS. Needs go, curl, python3 (its sqlite3 module) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
mapguard=${MAPGUARD:-}
if [[ -z "$mapguard" ]]; then
    cargo build -q --release -p mapguard
    mapguard="$target/release/mapguard"
fi
secs=${SOAK_SECS:-600}
restarts=${RESTARTS:-20}
stalls=${STALLS:-10}
kills=${KILLS:-5}
depth=${DEPTH:-19}
runs=${RUNS:-3}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

(cd testdata/watch && go build -o "$work/leaksvc" . && go build -o "$work/bigprofile" ./bigprofile)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
sql() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute(sys.argv[2]).fetchone()[0])
PY
}
now_ms() { date +%s%3N; }

svc_port=$(free_port)
svc="http://127.0.0.1:$svc_port"
start_svc() {
    "$work/leaksvc" -addr "127.0.0.1:$svc_port" >/dev/null 2>&1 &
    svc_pid=$!
    pids+=("$svc_pid")
    for _ in $(seq 100); do
        curl -sf "$svc/leak?n=1" >/dev/null && return
        sleep 0.1
    done
    fail "the Go service did not start"
}

echo "== 1. soak: ${secs}s at 1s, $restarts restarts, $stalls stalls past the 2s timeout"
db="$work/history.db"
wport=$(free_port)
start_svc
"$mapguard" watch "$svc" --interval 1s --timeout 2s --db "$db" --listen "127.0.0.1:$wport" 2>"$work/soak.log" &
watch_pid=$!
pids+=("$watch_pid")
start=$(date +%s)
warm=$((secs / 10))
events=$((restarts + stalls))
step=$(((secs - warm) / (events + 1)))
sleep "$warm"
rss0=$(rss_kb "$watch_pid")
done_restarts=0
done_stalls=0
for i in $(seq "$events"); do
    wait_until=$((start + warm + i * step))
    while (($(date +%s) < wait_until)); do
        curl -sf "$svc/leak?n=200" >/dev/null || true
        sleep 1
    done
    kill -0 "$watch_pid" 2>/dev/null || fail "watch exited during the soak"
    # Alternate restarts and stalls while both remain.
    if ((done_restarts < restarts && (done_stalls >= stalls || i % 3 != 0))); then
        kill -9 "$svc_pid"
        wait "$svc_pid" 2>/dev/null || true
        sleep 2
        start_svc
        done_restarts=$((done_restarts + 1))
    else
        curl -sf "$svc/stall?ms=5000" >/dev/null
        sleep 7
        curl -sf "$svc/stall?ms=0" >/dev/null
        done_stalls=$((done_stalls + 1))
    fi
done
while (($(date +%s) < start + secs)); do sleep 1; done
kill -0 "$watch_pid" 2>/dev/null || fail "watch exited during the soak"
rss1=$(rss_kb "$watch_pid")
kill "$watch_pid"
wait "$watch_pid" 2>/dev/null || true
total=$(sql "$db" "SELECT count(*) FROM scrapes")
failed=$(sql "$db" "SELECT count(*) FROM scrapes WHERE ok = 0")
timeouts=$(sql "$db" "SELECT count(*) FROM scrapes WHERE ok = 0 AND error LIKE '%timed out%'")
growth=$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
echo "restarts $done_restarts, stalls $done_stalls; watch alive throughout"
echo "scrapes stored: $total ($failed failed = recorded gaps, $timeouts of them timeouts)"
echo "RSS after warm-up ${rss0} KiB, at the end ${rss1} KiB: ${growth}% growth"
((failed >= done_restarts + done_stalls)) || fail "fewer failed scrapes ($failed) than outages"
awk -v g="$growth" 'BEGIN { exit !(g < 10) }' || fail "RSS grew ${growth}%"

echo "== 2. kill -9 watch $kills times mid-run"
for k in $(seq "$kills"); do
    before=$(now_ms)
    "$mapguard" watch "$svc" --interval 200ms --db "$db" --listen "127.0.0.1:$wport" 2>/dev/null &
    p=$!
    pids+=("$p")
    sleep "$(awk -v k="$k" 'BEGIN { srand(k); printf "%.2f", 1.5 + rand() * 2 }')"
    committed=$(curl -s "http://127.0.0.1:$wport/metrics" | awk '/^mapguard_scrapes_total/ {s += $NF} END {print s + 0}')
    kill -9 "$p"
    wait "$p" 2>/dev/null || true
    integrity=$(sql "$db" "PRAGMA integrity_check")
    stored=$(sql "$db" "SELECT count(*) FROM scrapes WHERE started_ms >= $before")
    echo "kill $k: integrity_check $integrity; $committed scrapes counted before the kill, $stored stored"
    [[ "$integrity" == ok ]] || fail "integrity_check: $integrity"
    ((stored >= committed)) || fail "lost committed scrapes"
done

echo "== 3. cost"
"$work/bigprofile" -depth "$depth" >"$work/big.out" 2>&1 &
pids+=("$!")
for _ in $(seq 600); do
    grep -q '^profile ' "$work/big.out" && break
    sleep 0.5
done
big=$(sed -n 's/^listening on //p' "$work/big.out")
bytes=$(sed -n 's/^profile \([0-9]*\) bytes/\1/p' "$work/big.out")
[[ -n "$big" && -n "$bytes" ]] || fail "bigprofile did not start"
echo "profile: $((bytes / 1000)) kB gzip, $(curl -s "$big/debug/pprof/heap" | gzip -dc | wc -c | awk '{printf "%d", $1 / 1000000}') MB uncompressed"
measure() {
    local walls=() rss=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt" || true
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")")
        local r
        r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
        ((r > rss)) && rss=$r
    done
    printf '%s\n' "${walls[@]}" | sort -g | awk -v rss="$rss" '{a[NR] = $1} END {print a[int((NR + 1) / 2)], rss}'
}
go tool pprof -top "$big/debug/pprof/heap" >/dev/null 2>&1 || true
read -r pprof_s pprof_kb < <(measure go tool pprof -top "$big/debug/pprof/heap")
read -r mg_s mg_kb < <(measure "$mapguard" watch "$big" --once --db "$work/cost.db")
inner=$(sed -n 's/.*(\([0-9]*\) ms)$/\1/p' "$work/out.txt" | head -1)
printf '%-44s %10s %14s\n' "" "wall (s)" "peak RSS (MB)"
printf '%-44s %10s %14s\n' "go tool pprof -top URL" "$pprof_s" "$((pprof_kb / 1024))"
printf '%-44s %10s %14s\n' "mapguard watch URL --once (scrape + store)" "$mg_s" "$((mg_kb / 1024))"
echo "in-process scrape (fetch, decode, attribute): ${inner} ms"
awk -v a="$pprof_s" -v b="$mg_s" -v c="$pprof_kb" -v d="$mg_kb" 'BEGIN { printf "mapguard watch --once: %.1fx faster, %.1fx less peak memory than go tool pprof -top (median of '"$runs"' runs)\n", a / b, c / d }'

"$mapguard" watch "$svc" --interval 10s --db "$work/idle.db" --listen "127.0.0.1:$(free_port)" 2>/dev/null &
idle=$!
pids+=("$idle")
sleep 30
echo "idle RSS (1 target, 10s interval, after 30s): $(($(rss_kb "$idle") / 1024)) MB"
