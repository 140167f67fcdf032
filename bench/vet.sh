#!/usr/bin/env bash
# `go vet -vettool=mapguard std` beside plain `go vet std`, both with a warm build cache, and
# its findings compared with `mapguard check ./...` over the same files (GOROOT/src).
#
# The vet-result cache would answer a repeated run without running any tool, so each timed run
# gets a fresh vet cache key while the compile cache stays warm: plain vet gets a new value of a
# no-op analyzer flag (-printf.funcs), mapguard a copy of its binary with one byte appended
# (a new SHA-256, hence a new -V=full build ID). The fully cached re-runs are timed too.
#
# Usage: bench/vet.sh [path/to/mapguard]   (default target/release/mapguard)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/mapguard}")
src=$(go env GOROOT)/src
out=$root/bench/out
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp=$(date +%s%N)
cp "$bin" "$tmp/mapguard"
printf '%s' "$stamp" >>"$tmp/mapguard"

secs() { # name, command... : wall seconds into ${name//-/_}, output into $out/$name.{out,err}
  local name=$1 var=${1//-/_} start end
  shift
  start=$(date +%s.%N)
  "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  end=$(date +%s.%N)
  printf -v "$var" '%.2f' "$(echo "$end - $start" | bc)"
  printf '%-28s %8s s\n' "$name" "${!var}"
}

cd "$src"
echo "go: $(go version); GOROOT/src: $src; mapguard: $bin"
echo "warming the build cache (go vet std) ..."
go vet std >/dev/null 2>&1 || true
secs go-vet-std go vet "-printf.funcs=NoSuchPrintf$stamp" std
secs mapguard-vettool-std go vet "-vettool=$tmp/mapguard" std
secs go-vet-std-cached go vet "-printf.funcs=NoSuchPrintf$stamp" std
secs mapguard-vettool-cached go vet "-vettool=$tmp/mapguard" std
secs vet-bench-check "$bin" check ./... --format json
echo "ratio vettool/go-vet (vet results uncached): $(echo "$mapguard_vettool_std / $go_vet_std" | bc -l | cut -c1-5)x"

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
finding = re.compile(r'^([^#\t][^:]*):(\d+):(\d+): (MG\d{3}) (.*)$')
vet, vet_errors = set(), []
for line in open(f'{out}/mapguard-vettool-std.err'):
    line = line.rstrip('\n')
    m = finding.match(line)
    if m:
        vet.add(line)
    elif line and not line.startswith('#') and not re.match(r'^[^\t]*:\d+:\d+: \t', line):
        vet_errors.append(line)
check = set()
data = json.load(open(f'{out}/vet-bench-check.out'))
for d in data['diagnostics']:
    if d['code'] == 'MG000':
        continue  # tree-sitter syntax warnings: check-only, not findings
    loc = d['location']
    check.add(f"{loc['path']}:{loc['start']['line']}:{loc['start']['column']}: {d['code']} {d['message']}")
in_vendor = {f for f in vet if f.startswith('vendor/')}
vet -= in_vendor
print(f"vettool findings: {len(vet)} (+{len(in_vendor)} in vendor/, which check ./... skips)")
print(f"check findings:   {len(check)}; input errors: {len(data.get('errors', []))}")
print(f"other go vet output lines (errors): {len(vet_errors)}")
for e in vet_errors[:10]:
    print('   ', e)
only_vet, only_check = sorted(vet - check), sorted(check - vet)
print(f"only in vettool: {len(only_vet)}; only in check: {len(only_check)}")
for f in only_vet[:20]:
    print('  vet  ', f)
for f in only_check[:20]:
    print('  check', f)
PY
