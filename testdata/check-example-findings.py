#!/usr/bin/env python3
"""Compare `mapguard check examples/leaky-service/...` with the example's BUG markers.

Every `// BUG(MGxxx):` comment marks the first code line after it; that line must get exactly one
finding of that code, and no other line may get a finding. Codes of rules the binary does not have
yet (`mapguard rules`) are reported as pending, not as failures.

Usage: testdata/check-example-findings.py PATH/TO/mapguard     (exit 0 = they match)
"""
import glob
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = sys.argv[1]

markers = {}  # (file, line) -> code
for path in sorted(glob.glob(os.path.join(root, "examples/leaky-service/*.go"))):
    lines = open(path).read().split("\n")
    for i, text in enumerate(lines):
        m = re.search(r"// BUG\((MG\d{3})\):", text)
        if not m:
            continue
        j = i + 1
        while lines[j].strip().startswith("//"):
            j += 1
        markers[(os.path.relpath(path, root), j + 1)] = m.group(1)

rules = subprocess.run([exe, "rules"], capture_output=True, text=True, check=True).stdout
known = set(re.findall(r"^(MG\d{3})\s", rules, re.M))

out = subprocess.run(
    [exe, "check", "examples/leaky-service/...", "--no-source"],
    cwd=root, capture_output=True, text=True,
).stdout
found = {}
for m in re.finditer(r"^(\S+\.go):(\d+):\d+: (MG\d{3}) (.*)$", out, re.M):
    found.setdefault((m.group(1), int(m.group(2))), []).append((m.group(3), m.group(4)))

fail = False
for where, code in sorted(markers.items()):
    got = [c for c, _ in found.pop(where, [])]
    if got == [code]:
        print(f"ok       {code} {where[0]}:{where[1]}")
    elif code not in known and not got:
        print(f"pending  {code} {where[0]}:{where[1]} (rule not in `mapguard rules` yet)")
    else:
        print(f"FAIL     {code} {where[0]}:{where[1]}: got {got or 'nothing'}")
        fail = True
for (path, line), items in sorted(found.items()):
    for code, msg in items:
        print(f"FAIL     unexpected {path}:{line}: {code} {msg}")
        fail = True
sys.exit(1 if fail else 0)
