#!/usr/bin/env python3
"""Runs a program and checks its exit status and what it printed.

    expect_run.py --status N [--expected FILE] [--contains TEXT]... -- PROGRAM [ARGS...]

--expected compares standard output line by line with FILE; --contains looks
for TEXT in standard output and standard error together. Exits 0 when all
checks hold, 1 (saying which failed) otherwise.
"""

import argparse
import subprocess
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", type=int, required=True)
    ap.add_argument("--expected", type=Path)
    ap.add_argument("--contains", action="append", default=[])
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    failures = []
    if run.returncode != args.status:
        failures.append(f"exit status {run.returncode}, expected {args.status}")
    if args.expected is not None:
        want = args.expected.read_text(encoding="utf-8").splitlines()
        got = run.stdout.splitlines()
        if got != want:
            failures.append("standard output differs from " + str(args.expected) + ":\n  expected:\n    "
                            + "\n    ".join(want) + "\n  got:\n    " + "\n    ".join(got))
    for text in args.contains:
        if text not in run.stdout + run.stderr:
            failures.append(f"output lacks {text!r}")
    if failures:
        print("stdout:\n" + run.stdout + "\nstderr:\n" + run.stderr)
        print("\n".join("FAILED: " + f for f in failures))
        return 1
    print(f"ok: {' '.join(command)} exited {run.returncode} and printed what was expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
