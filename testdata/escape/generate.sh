#!/usr/bin/env bash
# Regenerates m2.txt: the compiler's own escape analysis of ./cache, as `mapguard escape --input`
# reads it. Needs Go 1.26 (`go version`); the tests compare mapguard's live run with this file.
set -euo pipefail
cd "$(dirname "$0")"
go version
go build -gcflags=-m=2 -o /dev/null ./... 2> m2.txt
grep -c ': ' m2.txt
