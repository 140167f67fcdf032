#!/usr/bin/env bash
# Compiles every rule fixture module under testdata/src (and the example
# service) with the real Go toolchain: `go vet ./...` in each folder that holds
# a go.mod, plus `go test` where a fixture pins facts (MG401's type sizes).
# Usage: testdata/check-fixtures.sh     (exit 0 = all compile and vet clean)
#        MAPGUARD=target/debug/mapguard testdata/check-fixtures.sh
#          also compares mapguard's findings on examples/leaky-service with its
#          BUG(MGxxx) markers (testdata/check-example-findings.py).
# Needs Go on PATH; the errgroup fixture module fetches golang.org/x/sync
# v0.10.0 through the module proxy unless it is in the module cache.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
# Layout facts (type sizes) are checked for linux/amd64, mapguard's default.
export GOOS=linux GOARCH=amd64

fail=0
dirs=(testdata/src)
[ -d "$root/examples" ] && dirs+=(examples)
mods=$(cd "$root" && find "${dirs[@]}" -name go.mod -not -path '*/vendor/*' | sort)
for mod in $mods; do
	dir="$root/$(dirname "$mod")"
	rel="$(dirname "$mod")"
	if ! out=$(cd "$dir" && go vet ./... 2>&1); then
		printf 'FAIL go vet  %s\n%s\n' "$rel" "$out"
		fail=1
		continue
	fi
	if [ -n "$(cd "$dir" && find . -name '*_test.go' -print -quit)" ]; then
		if ! out=$(cd "$dir" && go test ./... 2>&1); then
			printf 'FAIL go test %s\n%s\n' "$rel" "$out"
			fail=1
			continue
		fi
	fi
	printf 'ok  %s\n' "$rel"
done

# Every .go.golden file must itself be valid Go of its package: copy the
# module, put the golden text in place of the source, and vet that.
goldens=$(cd "$root" && find testdata/src -name '*.go.golden' | sort)
for golden in $goldens; do
	src="$root/${golden%.golden}"
	moddir="$(dirname "$src")"
	while [ ! -f "$moddir/go.mod" ]; do moddir="$(dirname "$moddir")"; done
	tmp="$(mktemp -d)"
	cp -r "$moddir/." "$tmp/"
	cp "$root/$golden" "$tmp/${src#"$moddir"/}"
	if ! out=$(cd "$tmp" && test -z "$(gofmt -l .)" && go vet ./... 2>&1); then
		printf 'FAIL golden %s\n%s\n' "$golden" "$out"
		fail=1
	else
		printf 'ok  %s\n' "$golden"
	fi
	rm -rf "$tmp"
done

# The example service builds and marks exactly one bug per rule code, each
# with a `// BUG(MGxxx):` comment right above the line mapguard must flag.
example="$root/examples/leaky-service"
if [ -d "$example" ]; then
	if ! out=$(cd "$example" && go build -o /dev/null . 2>&1); then
		printf 'FAIL go build examples/leaky-service\n%s\n' "$out"
		fail=1
	fi
	for code in MG101 MG102 MG103 MG104 MG105 MG201 MG202 MG301 MG302 MG401 MG402 MG501; do
		n=$(cat "$example"/*.go | grep -c "// BUG($code):" || true)
		if [ "$n" != 1 ]; then
			printf 'FAIL examples/leaky-service has %s BUG(%s) markers, want 1\n' "$n" "$code"
			fail=1
		fi
	done
	[ "$fail" = 0 ] && printf 'ok  examples/leaky-service builds, one BUG marker per rule\n'
fi

# With MAPGUARD=path/to/mapguard, also check that the binary's findings on the
# example sit exactly on the BUG lines (rules not built yet are "pending").
if [ -n "${MAPGUARD:-}" ] && [ -d "$example" ]; then
	if ! python3 "$root/testdata/check-example-findings.py" "$MAPGUARD"; then
		fail=1
	fi
fi

# Fixtures are gofmt-clean, as real code is.
unformatted=$(cd "$root" && gofmt -l "${dirs[@]}")
if [ -n "$unformatted" ]; then
	printf 'FAIL gofmt:\n%s\n' "$unformatted"
	fail=1
fi

exit "$fail"
