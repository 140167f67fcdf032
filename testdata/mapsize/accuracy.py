#!/usr/bin/env python3
"""Accuracy of `mapguard size` against testdata/mapsize/golden.tsv, as a Markdown table.

    cargo build -p mapguard && testdata/mapsize/accuracy.py [path/to/mapguard]

Every golden case is predicted through the CLI (`--format json`, `--types main.go` for the named
types). Deterministic cases (classic with a hint and no overflow expected; Swiss with a hint) must
equal the measured median; the rest must be within 2% of it or inside the measured min-max.
Exit status 1 if any case misses.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "debug", "mapguard")
    rows, misses = [], 0
    for line in open(os.path.join(HERE, "golden.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        typ, n, hint, op, go, arch, runs = line.rstrip("\n").split("\t")
        runs = [int(v) for v in runs.split(",")]
        median = int(statistics.median(runs))
        if "noswissmap" in go:
            version = "1.24+noswissmap"
        elif go.startswith("go1.23"):
            version = "1.23"
        else:
            version = "1.26"
        cmd = [exe, "size", typ, "-n", n, "--go", version, "--arch", arch, "--types",
               os.path.join(HERE, "main.go"), "--format", "json"]
        if hint != "-1":
            cmd += ["--hint", hint]
        if op == "delete90":
            cmd += ["--deleted", "0.9"]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        model = out["models"][0]
        predicted = {
            "fill": model["footprint"]["total"],
            "delete90": (model["after_delete"] or {}).get("footprint", {}).get("total"),
            "clear": model["after_clear"]["total"],
            "reassign": model["after_reassign"]["total"],
        }[op]
        deterministic = hint != "-1" and op == "fill" and model["footprint"]["exact"]
        diff = (predicted - median) / median * 100 if median else 0.0
        inside = min(runs) <= predicted <= max(runs)
        if deterministic:
            ok = predicted == median
        else:
            ok = abs(diff) <= 2.0 or inside
        misses += not ok
        spread = f"{min(runs):,}–{max(runs):,}" if min(runs) != max(runs) else "="
        rows.append(f"| `{typ}` | {int(n):,} | {'–' if hint == '-1' else f'{int(hint):,}'} | {op} "
                    f"| {go.replace(' X:', '+')} | {arch} | {median:,} | {spread} | {predicted:,} | {diff:+.2f}% "
                    f"| {'exact' if deterministic else 'expected'} | {'✓' if ok else '✗'} |")
    print("| type | n | hint | op | go | arch | measured (median) | min–max of runs | predicted | diff | class | ok |")
    print("|---|---:|---:|---|---|---|---:|---:|---:|---:|---|---|")
    print("\n".join(rows))
    print(f"\n{len(rows) - misses}/{len(rows)} cases within target.")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
