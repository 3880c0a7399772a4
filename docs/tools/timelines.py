#!/usr/bin/env python3
"""Timelines of compiled lesson examples for the course-notes site.

    timelines.py --out DIR --seed N [--strip-prefix P]... NAME=PROGRAM...

Runs each PROGRAM with GOC_TRACE (the runtime's trace file) under the seeded
schedule GOC_SCHEDULE=random:N, so the goroutines take turns in one fixed
order and time is logical: every build draws the same timeline. Each run
leaves NAME.json (the trace, file names shortened by the prefixes) and
NAME.html (its page, drawn by trace_view.py) in DIR. build_site.py calls
write_timelines() for its --timeline options; this command line does the same
on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import trace_view  # noqa: E402


def shorten_paths(value, prefixes: list[str]):
    """The trace with every string that starts with a prefix cut after it."""
    if isinstance(value, dict):
        return {k: shorten_paths(v, prefixes) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten_paths(v, prefixes) for v in value]
    if isinstance(value, str):
        for p in prefixes:
            value = value.replace(p.rstrip("/") + "/", "")
    return value


def record(program: str, seed: int, timeout: float = 60) -> dict:
    """Runs `program` once with GOC_TRACE set and returns the trace it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace.json"
        env = dict(os.environ, GOC_TRACE=str(path), GOC_SCHEDULE=f"random:{seed}")
        try:
            result = subprocess.run([str(Path(program).resolve())], capture_output=True, text=True,
                                    timeout=timeout, env=env, cwd=tmp)
        except OSError as e:
            raise trace_view.TraceError(f"cannot run {program}: {e.strerror}; build it first") from e
        if not path.exists():
            raise trace_view.TraceError(
                f"{program} wrote no trace (exit {result.returncode}); does its runtime record GOC_TRACE?\n"
                + (result.stdout + result.stderr)[-1500:])
        return trace_view.load(path)


def write_timelines(specs: list[str], out: Path, seed: int, strip: list[str]) -> list[tuple[str, trace_view.Timeline]]:
    out.mkdir(parents=True, exist_ok=True)
    drawn = []
    for spec in specs:
        name, _, program = spec.partition("=")
        if not name or not program:
            raise trace_view.TraceError(f"--timeline {spec!r}: write it as NAME=PROGRAM")
        trace = shorten_paths(record(program, seed), strip)
        (out / f"{name}.json").write_text(json.dumps(trace) + "\n", encoding="utf-8")
        title = f"{name}: {Path(program).name} under GOC_SCHEDULE=random:{seed}"
        (out / f"{name}.html").write_text(trace_view.page(trace, title), encoding="utf-8")
        drawn.append((name, trace_view.build(trace)))
    return drawn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--strip-prefix", action="append", default=[])
    ap.add_argument("timeline", nargs="+", metavar="NAME=PROGRAM")
    args = ap.parse_args()
    try:
        for name, tl in write_timelines(args.timeline, args.out, args.seed, args.strip_prefix):
            print(f"{args.out / name}.html: {len(tl.lanes)} goroutines, {tl.count('flow')} arrows")
    except (trace_view.TraceError, subprocess.TimeoutExpired) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
