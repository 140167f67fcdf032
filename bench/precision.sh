#!/usr/bin/env bash
# Precision measure for the concurrency rules MG101–MG105 on real Go projects (issue 3).
#
# For each checkout given, runs `mapguard check ./... --select MG1 --format json` in the root of
# each of its Go modules, under /usr/bin/time -v (wall time, peak RSS), and writes:
#   $OUT/<name>.json      the findings of all its modules, paths relative to the checkout
#   $OUT/<name>.mod-N.*   per module: its directory, JSON and /usr/bin/time -v output
#   $OUT/<name>.commit    the checkout's HEAD commit
#   $OUT/sample.tsv       the findings to judge: every MG1xx finding, or a random 40 per rule per
#                         project where there are more (fixed seed, so the sample is reproducible)
# and prints one summary line per project and per rule.
#
# It never fetches: the checkouts must already exist (docs/precision.md says how they were made).
#
# Usage: bench/precision.sh DIR...        e.g. bench/precision.sh /work/eval/{prometheus,etcd}
# Env:   MAPGUARD=path/to/mapguard (default: build target/release/mapguard with cargo)
#        MAPGUARD_COMMIT=the commit that binary was built from (printed with the results)
#        OUT=dir (default bench/out/precision)   SEED=int (default 3)   PER_RULE=int (default 40)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 CHECKOUT_DIR..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/bench/out/precision}
seed=${SEED:-3}
per_rule=${PER_RULE:-40}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -x /usr/bin/time ] || { echo "$0: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

if [ -z "${MAPGUARD:-}" ]; then
  (cd "$root" && cargo build --release -q -p mapguard)
  MAPGUARD=${CARGO_TARGET_DIR:-$root/target}/release/mapguard
  MAPGUARD_COMMIT=${MAPGUARD_COMMIT:-$(git -C "$root" rev-parse HEAD)$(git -C "$root" diff --quiet HEAD -- crates || echo " (with uncommitted changes)")}
fi
bin=$(cd "$(dirname "$MAPGUARD")" && pwd)/$(basename "$MAPGUARD")
echo "mapguard: $bin ($("$bin" --version 2>/dev/null || echo unknown version))"
# A binary passed in MAPGUARD says nothing about its source; MAPGUARD_COMMIT records it.
echo "mapguard source commit: ${MAPGUARD_COMMIT:-unknown (set MAPGUARD_COMMIT)}"

names=()
for dir in "$@"; do
  [ -d "$dir" ] || { echo "$0: $dir: not a directory" >&2; exit 2; }
  name=$(basename "$dir")
  names+=("$name")
  git -C "$dir" rev-parse HEAD >"$out/$name.commit"
  # `./...` stops at nested modules (as the go command does), so each module of a multi-module
  # repository (etcd: server/, client/v3/, …) is checked from its own root, one run per module;
  # paths are then made relative to the checkout. Wall times add up; peak RSS is the largest.
  mods=$(cd "$dir" && find . -name go.mod -not -path '*/vendor/*' -not -path '*/testdata/*' \
           -not -path '*/.*/*' -not -path '*/_*' -not -path '*/fixtures/*' -printf '%h\n' | sort)
  rm -f "$out/$name".mod-*.json "$out/$name".mod-*.time
  total=0 peak=0 worst=0 i=0
  for mod in $mods; do
    i=$((i + 1))
    rc=0
    # Exit code 1 means "findings"; 2 means an input could not be checked (still a full document).
    (cd "$dir/$mod" && /usr/bin/time -v -o "$out/$name.mod-$i.time" \
        "$bin" check ./... --select MG1 --format json >"$out/$name.mod-$i.json" 2>>"$out/$name.err") || rc=$?
    [ "$rc" -le 2 ] || { echo "$0: mapguard failed in $dir/$mod (exit $rc), see $out/$name.err" >&2; exit 1; }
    [ "$rc" -le "$worst" ] || worst=$rc
    echo "$mod" >"$out/$name.mod-$i.dir"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$name.mod-$i.time" \
             | awk -F: '{ s = 0; for (k = 1; k <= NF; k++) s = s * 60 + $k; print s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$name.mod-$i.time")
    total=$(echo "$total + $wall" | bc -l)
    [ "$rss" -le "$peak" ] || peak=$rss
  done
  python3 - "$out" "$name" "$i" <<'PY'
import json, os, sys
out, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
merged = {"diagnostics": [], "errors": []}
for i in range(1, n + 1):
    mod = open(f"{out}/{name}.mod-{i}.dir").read().strip()
    doc = json.load(open(f"{out}/{name}.mod-{i}.json"))
    for key in ("diagnostics", "errors"):
        for d in doc.get(key, []):
            loc = d.get("location", d)
            loc["path"] = os.path.normpath(os.path.join(mod, loc["path"]))
            merged[key].append(d)
json.dump(merged, open(f"{out}/{name}.json", "w"), indent=1)
PY
  gofiles=$(cd "$dir" && find . -name '*.go' -not -path '*/vendor/*' -not -path '*/testdata/*' -not -path '*/.*' | wc -l)
  printf '%-14s %s  %2d modules %6s .go files  wall %7.1f s  peak RSS %6d MiB  exit %d\n' \
    "$name" "$(cut -c1-12 "$out/$name.commit")" "$i" "$gofiles" "$total" "$((peak / 1024))" "$worst"
done

python3 - "$out" "$seed" "$per_rule" "${names[@]}" <<'PY'
import json, random, sys
out, seed, per_rule, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rules = ["MG101", "MG102", "MG103", "MG104", "MG105"]
rows = []
print(f"{'project':14} " + " ".join(f"{r:>6}" for r in rules) + "   (findings; sampled)")
for name in names:
    doc = json.load(open(f"{out}/{name}.json"))
    counts, sampled = [], []
    for rule in rules:
        found = [d for d in doc["diagnostics"] if d["code"] == rule]
        pick = found
        if len(found) > per_rule:
            # One generator per (project, rule): adding a project never changes another's sample.
            rng = random.Random(f"{seed}:{name}:{rule}")
            pick = sorted(rng.sample(found, per_rule),
                          key=lambda d: (d["location"]["path"], d["location"]["start"]["line"]))
        counts.append(len(found))
        sampled.append(len(pick))
        for d in pick:
            loc = d["location"]
            rows.append((name, rule, f'{loc["path"]}:{loc["start"]["line"]}', d["message"]))
    print(f"{name:14} " + " ".join(f"{c:>6}" for c in counts) + "   "
          + " ".join(f"{s}" for s in sampled))
with open(f"{out}/sample.tsv", "w") as f:
    for r in rows:
        f.write("\t".join(r) + "\n")
print(f"{len(rows)} findings to judge in {out}/sample.tsv")
PY
