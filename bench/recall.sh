#!/usr/bin/env bash
# Recall of the concurrency rules (MG1xx) on real fixes of Go map races: for each public fix
# commit below, run `mapguard check <pkg>/... --select MG1 --format json` on the fix's parent and
# on the fix, and report whether the parent is flagged at the access the fix changed and whether
# the fix silences that finding. Results and the reasons for each miss: docs/recall.md.
#
# Usage: bench/recall.sh [--root DIR] [--setup GITDIRS] [--bin MAPGUARD] [CASE...]
#   --root DIR      where the checkouts are: DIR/<case>-parent and DIR/<case>-fix, each the
#                   repository's tree at that commit (default $RECALL_ROOT or /work/recall)
#   --setup GITDIRS create missing checkouts first, with `git archive`, from local git
#                   directories: GITDIRS/<owner>+<repo>/repo (the layout of a mirror), or
#                   GITDIRS/<owner>/<repo>(.git). Never touches the network: clone the
#                   repositories yourself (`git clone --bare https://github.com/<owner>/<repo>`).
#   --bin MAPGUARD  the binary to run (default target/release/mapguard, built when missing)
#   CASE...         only these cases (names from the table below)
# Writes bench/out/recall/<case>-{parent,fix}.json (mapguard's JSON) and prints one line per
# case and the totals. Exit 0 unless a checkout is missing or mapguard fails to run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${RECALL_ROOT:-/work/recall}
setup=""
bin=""
while [ $# -gt 0 ]; do
  case $1 in
    --root) root=$2; shift 2 ;;
    --setup) setup=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "recall.sh: unknown flag $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
only=("$@")

# name | owner/repo | fix commit | package dirs (space-separated) | fixed access in the parent |
# the same access in the fix ("-" when the fix removed it) | rule expected | bug shape
# Accesses are "file:line,line file:line", paths relative to the repository root. A package dir
# "." is the root package alone (pattern `.`); any other dir is checked with its subpackages.
cases=$(cat <<'EOF'
osiris-activator|dailymotion-oss/osiris|b59955bfe3418c0392a6fd1d0da964338b294794|pkg/deployments/activator|pkg/deployments/activator/request_handling.go:43|pkg/deployments/activator/request_handling.go:44|MG101|field map read without its mutex (written under it elsewhere)
osiris-endpoints|dailymotion-oss/osiris|a5e7923aa5467e3d2e725dc204034a41741ded86|pkg/endpoints/controller|pkg/endpoints/controller/controller.go:229|pkg/endpoints/controller/controller.go:231|MG101|range over field map without its mutex
osiris-zeroscaler|dailymotion-oss/osiris|0918d5ab23a4ecbb387700455625658b617e1adb|pkg/deployments/zeroscaler|pkg/deployments/zeroscaler/metrics_collector.go:135|pkg/deployments/zeroscaler/metrics_collector.go:141|MG104|local map written by goroutines launched in a loop
aqua-checksum|aquaproj/aqua|7bfc17a6e26ebbbadd83f87116a937a059717fa6|pkg/checksum|pkg/checksum/type.go:33|pkg/checksum/type.go:33|MG102|map written under RLock
krakend-ratelimit|krakend/krakend-ratelimit|e042383cb652c06d4a71a198f245ddd0daecbc89|.|krakendrate.go:65|krakendrate.go:65|MG102|map written under RLock (mutex held by pointer field)
livekit-agentdispatch|livekit/livekit|ef251baecab01f79ac3d7d5165c500d6a47a7a00|pkg/rtc|pkg/rtc/room.go:1850|pkg/rtc/room.go:1850|MG102|map written under RLock
storetheindex-ingest|ipni/storetheindex|fec9f986d9afbf471e73408dc9290b846b798560|internal/ingest|internal/ingest/ingest.go:769,781|internal/ingest/ingest.go:770,784|MG101|two field maps read by a worker without their mutex
admiral-servicecache|istio-ecosystem/admiral|a4417c3fbdffc132e69a4f709e93a77641e4e38a|admiral/pkg/controller/admiral|admiral/pkg/controller/admiral/service.go:72|admiral/pkg/controller/admiral/service.go:76|MG101|getter reads field map without its mutex
admiral-map|istio-ecosystem/admiral|6de3f25bff977c20d327c7749b04bdd773560409|admiral/pkg/controller/common|admiral/pkg/controller/common/types.go:110,128|admiral/pkg/controller/common/types.go:114,143|MG103/MG101|getter returns the guarded map itself (callers range it); unlocked Get
sei-multiversion|sei-protocol/sei-cosmos|0bc49af5501a0c3c6f3d84fb884d7f3b8a6ab631|store/multiversion|store/multiversion/store.go:213,249|store/multiversion/store.go:213,252|MG103|getter returns the guarded map under RLock; caller indexes it after unlock
ffproxy-metrics|harness/ff-proxy|c314761edf81b938a46c4b2df0b01331d8bb74d8|clients/metrics_service|clients/metrics_service/safe_metrics_request_map.go:98,103|clients/metrics_service/safe_metrics_request_map.go:102|MG103|guarded map aliased to a local under RLock, ranged after RUnlock
dovecot-users|freswa/dovecot-xaps-daemon|97d97d306f83e6fcead5b6d02e98200541f63668|internal/database|internal/database/database.go:250,274,286|internal/database/database.go:251,276,290|MG101|field map guarded by a package-level mutex, read and ranged without it
hmq-inflight|fhmq/hmq|89ab27e0bb66ddd2507cc20704ada194fda49cbf|broker|broker/client.go:208,209,215,243 broker/comm.go:162,205,209|broker/client.go:211,212,220,251 broker/comm.go:163,208,217|MG104|field map with no lock at all, used by the reader goroutine and the retry timer
interlink-jids|interlink-hq/interLink|30092b39bde9c69e609b10f723a2813fa7a3955d|pkg/sidecars/slurm|pkg/sidecars/slurm/aux.go:127,422,429|pkg/sidecars/slurm/aux.go:130,425,434|MG104|map behind a *map field with no lock, written by HTTP handlers
cryptopower-activeapis|crypto-power/cryptopower|cdccf39c46ac420261e1eeab651a5ffc9ca7107c|libwallet/utils|libwallet/utils/httpclient.go:105,203,214|libwallet/utils/httpclient.go:109,208,221|MG104|package map with no lock, written by concurrent HTTP requests
lassie-servertiming|filecoin-project/lassie|48a008364a375733f10d8e32f05bc339e42ce6c2|pkg/server/http|pkg/server/http/servertimingssubscriber.go:72,73|pkg/server/http/servertimingssubscriber.go:75,76|MG101|local maps captured by a returned closure; writes outside the local mutex that guards the reads
livekit-telemetry|livekit/livekit|79296d09399003692b0b2d0e16cc710a429ce10d|pkg/telemetry|pkg/telemetry/statsworker.go:50,52,68,74,80,86|pkg/telemetry/statsworker.go:50,52,68,74,80,86|MG104|unlocked field map written by a queue goroutine and ranged by a ticker goroutine (fix: confine to one goroutine)
gitpod-metrics|gitpod-io/gitpod|7dd708aaa64e86d175b7e24e9aeedb52dde13399|components/ws-manager/pkg/manager|components/ws-manager/pkg/manager/metrics.go:121|components/ws-manager/pkg/manager/metrics.go:120|MG101|field map read before the deferred closure that takes its mutex
grpc-subconns|grpc/grpc-go|a62701e4aa1d276bec70311251d62a478404d63f|.|balancer_conn_wrappers.go:145,198,207|balancer_conn_wrappers.go:147,202,213|MG104|field map with no lock, written by balancer callbacks and ranged by the watcher goroutine (go-concurrency-bugs)
moby-execstore|moby/moby|e5e62b96ce0d4eb3934a386b07203830f55e07ce|daemon/exec|daemon/exec/exec.go:56|daemon/exec/exec.go:58|MG103|Commands() returns the map of a store with an embedded RWMutex; the GC goroutine ranges it (go-concurrency-bugs)
gronx-tasker|adhocore/gronx|21381a17d8acc5c686893c6e798be1eae8c6925b|pkg/tasker|pkg/tasker/tasker.go:385,404|pkg/tasker/tasker.go:380,395|MG104|field map written by task goroutines launched in a loop (method value) and by the spawner
thoas-stats|thoas/stats|207acb5b74c6d1eb1249825ce7a61d928f5665c9|.|stats.go:53,60|stats.go:130,136|MG103|getters return the guarded maps under RLock; Data() ranges and hands them out
ttlmap-all|jftuga/TtlMap|9f62fb5c01febf20323dd94f393397deb3c97a58|.|ttlMap.go:119|ttlMap.go:121|MG103/MG101|All() returns the guarded map with no lock
tasks-tasks|madflojo/tasks|fe514286b3716b452bbfc294ec006b4fb426ebd1|.|tasks.go:295|tasks.go:296|MG103|Tasks() returns the guarded map under RLock
argocd-mapset|argoproj-labs/argocd-agent|1b94d9c210092d71c5160ea9f9b0b84721d64cad|principal|principal/mapset.go:34|principal/mapset.go:34|MG103|Get returns an inner map of the guarded map of maps; callers read it after unlock
castai-delta|castai/k8s-agent|5db650ebf0e27f3e8e3a3812eed792fa7060a70f|internal/services/controller/delta|internal/services/controller/delta/delta.go:67,70,72|internal/services/controller/delta/delta.go:66,69,71|MG102|field map written through a local alias under RLock
castai-spotcache|castai/k8s-agent|6ea55db78daf1fa6fccfcc8fefa4c6885ae094b5|pkg/services/providers/eks/aws|pkg/services/providers/eks/aws/aws.go:102,131|pkg/services/providers/eks/aws/aws.go:105,136|MG104|field map cache with no lock, filled by FilterSpot, which callers in other packages run concurrently
aperture-cache|fluxninja/aperture|419e5f4681642c78f2be30259f30f040ee02959a|pkg/cache|pkg/cache/cache.go:36,37|pkg/cache/cache.go:39|MG103|generic Cache[K] (embedded Mutex): GetAll returns the guarded map through a local under the lock
ktconnect-heartbeat|alibaba/kt-connect|91020df4ce1f674c1e836733f78da4a352f904dc|pkg/kt/service/cluster|pkg/kt/service/cluster/configmap.go:37,42,45 pkg/kt/service/cluster/deployment.go:91,96,99 pkg/kt/service/cluster/pod.go:78,83,86 pkg/kt/service/cluster/service.go:79,84,87|pkg/kt/service/cluster/heartbeat.go:22,29|MG104|package map with no lock, written by heartbeat tickers of several resources
werf-publish|werf/werf|6682dd64e31e47a947ae163cc209d4c2d6ac838e|pkg/build|pkg/build/publish_images_phase.go:244,313,327|pkg/build/publish_images_phase.go:67|MG104|report map with no lock, written while images are published in parallel
cexporter-labels|CheerlessCloud/cexporter|22cba55142dddea409fe5addfaa36d8eccc7110e|collector|collector/unactual_labels_garbage_collector.go:32,36|collector/unactual_labels_garbage_collector.go:38,44|MG104|package maps with no lock, written through helpers by per-container goroutines launched in a loop
cryptopower-syncinfo|crypto-power/cryptopower|a6c71536e204369e6c465e3508fa10ef7f29cc34|ui/page/components|ui/page/components/wallet_sync_info.go:498,511,551|ui/page/components/wallet_sync_info.go:497,511,547|MG101|package map written under a per-instance mutex (each widget has its own), read and deleted with no lock
drl-ttlcache|TykTechnologies/drl|c557a7cff41206157bceae98e133cbd453ab5b56|.|ttlcache.go:83|ttlcache.go:90|MG101|guarded map field set to nil on Close without the lock while the cleaner goroutine ranges it
contiv-dtomap|contiv/vpp|aa47e0a4c624b0403653f4612f6c3ef3228e0093|plugins/crd/cache|plugins/crd/cache/processor.go:130,138,149,159,167,176,185,194,221,231|-|MG104|field map written by sibling goroutines (go p.getXInfo(…) method values) and read by a processing goroutine; the fix sends on a channel instead
drl-servers|TykTechnologies/drl|b087e1cc9f7b27d1bc3c33aa5840f442ee1aa166|.|drl.go:77,93|drl.go:77,91|MG101/MG102|delete with no lock from a ticker goroutine; write under RLock
EOF
)

if [ -z "$bin" ]; then
  bin=target/release/mapguard
  [ -x "$bin" ] || cargo build --release -q -p mapguard
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
out=bench/out/recall
mkdir -p "$out"

find_gitdir() { # owner/repo -> a local git dir, or nothing
  local o=${1%%/*} r=${1#*/} d
  for d in "$setup/$o+$r/repo" "$setup/$o/$r.git" "$setup/$o/$r" "$setup/$r.git" "$setup/$r"; do
    if git --git-dir="$d" rev-parse -q --verify HEAD >/dev/null 2>&1 || [ -d "$d/.git" ]; then
      [ -d "$d/.git" ] && d=$d/.git
      echo "$d"; return
    fi
  done
}

extract() { # gitdir rev dest pkgs...: the whole tree, or go.mod and the packages when blobs are absent
  local g=$1 rev=$2 dest=$3; shift 3
  mkdir -p "$dest"
  if ! { git --git-dir="$g" archive "$rev" | tar -x -C "$dest"; } 2>/dev/null; then
    rm -rf "$dest"; mkdir -p "$dest"
    local paths=() p
    for p in "$@"; do [ "$p" = . ] && paths+=(':(glob)*.go') || paths+=("$p"); done
    git --git-dir="$g" cat-file -e "$rev:go.mod" 2>/dev/null && paths+=(go.mod)
    # git names the absent blobs it walks past even when the paths asked for are complete
    git --git-dir="$g" archive "$rev" -- "${paths[@]}" 2>/dev/null | tar -x -C "$dest"
    for p in "$@"; do
      [ -d "$dest/$p" ] || { echo "recall.sh: $rev has no $p in $g" >&2; return 1; }
    done
  fi
}

total=0; flagged=0; silenced=0; status=0
printf '%-24s %-12s %-8s %-8s %-9s %s\n' case rule parent fix silenced 'MG1 findings parent -> fix'
while IFS='|' read -r name repo sha pkgs ploc floc rule shape; do
  [ -n "$name" ] || continue
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  if [ -n "$setup" ]; then
    for side in parent fix; do
      [ -d "$root/$name-$side" ] && continue
      g=$(find_gitdir "$repo")
      [ -n "$g" ] || { echo "$name: no local git dir for $repo under $setup" >&2; status=2; continue 2; }
      rev=$sha; [ $side = parent ] && rev="$sha^1"
      # shellcheck disable=SC2086
      extract "$g" "$rev" "$root/$name-$side" $pkgs || { status=2; continue 2; }
    done
  fi
  for side in parent fix; do
    dir=$root/$name-$side
    [ -d "$dir" ] || { echo "$name: missing checkout $dir (use --setup)" >&2; status=2; continue 2; }
    patterns=()
    for p in $pkgs; do [ "$p" = . ] && patterns+=(.) || patterns+=("./$p/..."); done
    rc=0
    (cd "$dir" && "$bin" check "${patterns[@]}" --select MG1 --format json) >"$out/$name-$side.json" 2>"$out/$name-$side.err" || rc=$?
    if [ $rc -gt 1 ]; then echo "$name-$side: mapguard exit $rc: $(head -c 300 "$out/$name-$side.err")" >&2; status=2; fi
  done
  line=$(python3 - "$out/$name-parent.json" "$out/$name-fix.json" "$ploc" "$floc" <<'PY'
import json, sys

def locs(spec):
    s = set()
    if spec == "-":
        return s
    for part in spec.split():
        f, lines = part.rsplit(":", 1)
        for l in lines.split(","):
            s.add((f, int(l)))
    return s

def hits(path, spec):
    d = json.load(open(path))
    want = locs(spec)
    diags = [x for x in d["diagnostics"] if x["code"].startswith("MG1")]
    at = sorted({x["code"] for x in diags
                 if (x["location"]["path"].removeprefix("./"), x["location"]["start"]["line"]) in want})
    return at, len(diags)

p_at, p_n = hits(sys.argv[1], sys.argv[3])
f_at, f_n = hits(sys.argv[2], sys.argv[4])
print(("yes" if p_at else "no"), "/".join(p_at) or "-", ("yes" if f_at else "no"), "/".join(f_at) or "-", p_n, f_n)
PY
)
  read -r p_yes p_codes f_yes f_codes p_n f_n <<<"$line"
  total=$((total + 1))
  sil=n/a
  if [ "$p_yes" = yes ]; then
    flagged=$((flagged + 1))
    if [ "$f_yes" = no ]; then sil=yes; silenced=$((silenced + 1)); else sil=no; fi
  fi
  printf '%-24s %-12s %-8s %-8s %-9s %s -> %s\n' "$name" "$rule" "$p_yes:$p_codes" "$f_yes:$f_codes" "$sil" "$p_n" "$f_n"
done <<<"$cases"
echo "$flagged of $total parents flagged at the fixed access; $silenced of $flagged fixes silence it"
exit $status
