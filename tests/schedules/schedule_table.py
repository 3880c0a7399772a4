#!/usr/bin/env python3
"""Runs the course's built test programs under the grader's fixed schedules
and prints what happened, as Markdown tables (instructor-only: it names the
wrong answers, so it lives in tests/, which the student release leaves out).

  schedule_table.py solutions [--build DIR] [--schedules N]
      every reference solution's public and hidden program, free and under
      each schedule: pass/FAIL and seconds per run;
  schedule_table.py wrong [--build DIR] [--tsan-build DIR] [--schedules N] [--all]
                          [--only EXERCISE/VARIANT,...]
      every wrong answer's public program: does the free run, the
      ThreadSanitizer run (when --tsan-build has the program) and each
      schedule reject it, and which schedule rejects it first. Without --all
      only the wrong answers that pass the free and ThreadSanitizer runs are
      listed (the ones schedules are for); --only lists the named ones,
      whatever their runs do (e.g. those that passed before a test changed).

Programs come from an already built tree (e.g. cmake --build build/plain
--target <key>_solution_public ...); a missing program is shown as "not built".
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 60  # seconds before a run counts as hung


def schedule_specs(n):
    """The fixed schedule set shared with the grader (issue 18's contract)."""
    specs = []
    for i in range(1, n + 1):
        if i % 2:
            specs.append(f"random:{(i + 1) // 2}")
        else:
            half = i // 2
            specs.append(f"pct:{half}:{2 if half % 2 else 3}")
    return specs


def exercise_ids():
    text = (ROOT / "exercises" / "manifest.toml").read_text()
    return re.findall(r'^id\s*=\s*"([^"]+)"', text, re.M)


def key_of(exercise_id):
    m = re.match(r"^(\d\d)-[a-z0-9-]+/(\d\d)-[a-z0-9-]+$", exercise_id)
    return f"ex_{m.group(1)}_{m.group(2)}"


def run(program, spec=None):
    """(passed, seconds, first failure line) of one run; passed is None when not built."""
    if not program.exists():
        return None, 0.0, "not built"
    env = dict(os.environ)
    env.pop("GOC_SCHEDULE", None)
    if spec:
        env["GOC_SCHEDULE"] = spec
    start = time.monotonic()
    try:
        p = subprocess.run([str(program)], env=env, capture_output=True, text=True,
                           errors="replace", timeout=LIMIT)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - start, f"hung past {LIMIT} s"
    seconds = time.monotonic() - start
    raced = "WARNING: ThreadSanitizer" in out
    why = ""
    for pattern in (r'^test case "[^"]*" failed', r"^fatal error:.*", r".*did not return within.*",
                    r"^goroutine leak in test case.*", r"^panic:.*", r"WARNING: ThreadSanitizer.*"):
        m = re.search(pattern, out, re.M)
        if m:
            why = m.group(0).replace("WARNING: ThreadSanitizer", "ThreadSanitizer warning")[:90]
            break
    return rc == 0 and not raced, seconds, why or (f"exit status {rc}" if rc else "")


def cell(result):
    passed, seconds, _ = result
    if passed is None:
        return "not built"
    return f"{'pass' if passed else 'FAIL'} {seconds:.1f} s"


def solutions(args):
    specs = schedule_specs(args.schedules)
    build = pathlib.Path(args.build) / "exercises"
    print("| program | free | " + " | ".join(specs) + " |")
    print("|---" * (len(specs) + 2) + "|")
    failures = []
    totals = [0.0] * (len(specs) + 1)
    for eid in exercise_ids():
        for kind in ("public", "hidden"):
            program = build / f"{key_of(eid)}_solution_{kind}"
            results = [run(program)] + [run(program, s) for s in specs]
            for i, r in enumerate(results):
                totals[i] += r[1]
                if r[0] is False:
                    failures.append(f"{program.name} {'under ' + specs[i - 1] if i else 'free'}: {r[2]}")
            print(f"| {program.name} | " + " | ".join(cell(r) for r in results) + " |")
    print("| total seconds | " + " | ".join(f"{t:.1f}" for t in totals) + " |")
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


def wrong(args):
    specs = schedule_specs(args.schedules)
    build = pathlib.Path(args.build) / "exercises"
    tsan = pathlib.Path(args.tsan_build) / "exercises" if args.tsan_build else None
    runs = ["free"] + (["TSan"] if tsan else [])
    print("| exercise | wrong answer | " + " | ".join(runs + specs) + " | first schedule to reject it |")
    print("|---" * (len(runs) + len(specs) + 3) + "|")
    listed = rejected = 0
    for eid in exercise_ids():
        folder = ROOT / "tests" / "wrong-answers" / eid
        if not folder.is_dir():
            continue
        for variant in sorted(p.name for p in folder.iterdir() if p.is_dir()):
            if args.only and f"{eid}/{variant}" not in args.only:
                continue
            name = f"{key_of(eid)}_wrong_{re.sub(r'[^A-Za-z0-9_]', '_', variant)}_public"
            free = run(build / name)
            if not (args.all or args.only) and free[0] is False:
                continue
            race = run(tsan / name) if tsan else None
            if not (args.all or args.only) and race and race[0] is False:
                continue
            # Every schedule, not only up to the first that rejects it: the
            # table shows them all.
            scheduled = [run(build / name, s) for s in specs]
            first = next((f"{s} ({r[2]})" for s, r in zip(specs, scheduled) if r[0] is False), "none")
            listed += 1
            rejected += first != "none"
            cols = [("rejects" if r[0] is False else "passes" if r[0] else r[2])
                    for r in [free] + ([race] if race else []) + scheduled]
            print(f"| {eid} | {variant} | " + " | ".join(cols) + f" | {first} |")
    print(f"\n{rejected} of {listed} listed wrong answers are rejected by some schedule.")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["solutions", "wrong"])
    parser.add_argument("--build", default=str(ROOT / "build" / "plain"))
    parser.add_argument("--tsan-build", default=None)
    parser.add_argument("--schedules", type=int, default=4)
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=None)
    args = parser.parse_args()
    return solutions(args) if args.what == "solutions" else wrong(args)


if __name__ == "__main__":
    sys.exit(main())
