#!/usr/bin/env bash
# expect_failure.sh [--limit SECONDS] [--schedules "SPEC..."] -- PROGRAM...
#
# The "must fail" check behind the skeleton and wrong-answer tests: runs each
# PROGRAM (a test program built from a skeleton or a wrong answer) and passes
# when at least one of them fails, which is what a grader would see:
#   - it exits non-zero (a failed test, a leak, a deadlock, a panic, a crash),
#   - it runs past SECONDS (a hang; it is then killed), or
#   - it prints a ThreadSanitizer report (the race-detector run).
# It fails when every program passes: the code it was built from would score.
# It stops at the first program that fails: one is enough to show that the
# code would lose points, and the rest would only cost time (a hang costs
# SECONDS).
#
# With --schedules, each PROGRAM is run under each seeded schedule of the
# list (GOC_SCHEDULE=SPEC, in order), as the grader does, and only those runs
# count. A seeded run fails or passes the same way on every machine; a free
# run's failure may be timing luck (on a loaded machine a racy program's
# goroutines can run one after another and lose nothing), and the grader,
# on a luckier run, would give that code full marks. When no schedule makes a
# program fail, its free run is tried too, only to say that it failed there
# alone: the check still fails.
# A failing scheduled run must be deterministic: it is run a second time with
# the same SPEC and must fail the same way (the same exit status and the same
# failing test cases or fatal error); when it does not, the check fails,
# since a student could not replay what the grader saw.
#
# The programs' output is shown with "WARNING: ThreadSanitizer" reworded,
# because CTest fails any test whose output contains that phrase.
set -u

limit=25
schedules=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --limit) limit="$2"; shift 2 ;;
    --schedules) schedules="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "expect_failure.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -eq 0 ]]; then
  echo "expect_failure.sh: no program to run" >&2
  exit 2
fi

out="$(mktemp)"
again="$(mktemp)"
trap 'rm -f "$out" "$again"' EXIT

# run_once PROGRAM SPEC OUTPUT: runs PROGRAM (under GOC_SCHEDULE=SPEC unless
# SPEC is empty) and prints its verdict, empty when it passed.
run_once() {
  local program="$1" spec="$2" output="$3" rc verdict=""
  if [[ -n "$spec" ]]; then
    GOC_SCHEDULE="$spec" timeout --kill-after=5 "$limit" "$program" >"$output" 2>&1
  else
    env -u GOC_SCHEDULE timeout --kill-after=5 "$limit" "$program" >"$output" 2>&1
  fi
  rc=$?
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    verdict="hung: still running after ${limit} s"
  elif [[ $rc -ne 0 ]]; then
    verdict="failed: exit status $rc"
  fi
  if grep -q "WARNING: ThreadSanitizer" "$output"; then
    verdict="${verdict:+$verdict, }ThreadSanitizer reported a data race"
  fi
  echo "$verdict"
}

# How a run failed, for comparing a scheduled run with its replay: the
# failing test cases, leaks, fatal errors and "did not return" reports.
failure_signature() {
  grep -E '^test case ".*" failed under a seeded|^goroutine leak in test case "|^fatal error:|^panic:|did not return within' "$1" \
    | sed -E 's/ failed under a seeded .*/ failed/; s/goroutine leak in (test case "[^"]*").*/leak in \1/' | sort -u
}

show_why() {
  # The first lines that say why, so a reader can see it failed for a reason.
  grep -E "FAILED|REQUIRE|CHECK|with expansion|panic:|fatal error|goroutine leak|ThreadSanitizer|timed out|did not|GOC_SCHEDULE=" "$1" \
    | sed 's/WARNING: ThreadSanitizer/ThreadSanitizer warning/' | head -n 12 | sed 's/^/   | /'
}

# The runs that count: the free run, or with --schedules only the seeded ones.
specs=("")
[[ -n "$schedules" ]] && read -ra specs <<<"$schedules"

failures=0
programs=("$@")
while [[ $# -gt 0 && $failures -eq 0 ]]; do
  program="$1"
  shift
  name="$(basename "$program")"
  for spec in "${specs[@]}"; do
    label="$name${spec:+ under GOC_SCHEDULE=$spec}"
    verdict="$(run_once "$program" "$spec" "$out")"
    if [[ -z "$verdict" ]]; then
      echo "== $label: passed"
      continue
    fi
    failures=1
    echo "== $label: $verdict (expected)"
    show_why "$out"
    if [[ -n "$spec" ]]; then
      verdict_again="$(run_once "$program" "$spec" "$again")"
      first="$(failure_signature "$out")" second="$(failure_signature "$again")"
      if [[ "$verdict_again" != "$verdict" || "$first" != "$second" ]]; then
        echo "== replayed with the same schedule, it did not fail the same way: the failure is not"
        echo "   reproducible, so a student could not replay it (first: $verdict; again: ${verdict_again:-passed})"
        echo "   first run:"; echo "${first:-  (no failing test case named)}" | sed 's/^/   | /'
        echo "   replay:";    echo "${second:-  (no failing test case named)}" | sed 's/^/   | /'
        show_why "$again"
        exit 1
      fi
      echo "== replayed with the same schedule: failed the same way (${first:+$(echo "$first" | head -n 1)})"
    fi
    break
  done
done
if [[ $failures -ne 0 && $# -gt 0 ]]; then
  echo "== not run (one failure is enough): $(basename -a "$@" | tr '\n' ' ')"
fi

if [[ $failures -eq 0 && -n "$schedules" ]]; then
  for program in "${programs[@]}"; do
    verdict="$(run_once "$program" "" "$out")"
    [[ -z "$verdict" ]] && continue
    echo "== $(basename "$program") without a schedule: $verdict, but no seeded schedule failed it"
    show_why "$out"
    echo "every program passed under every schedule: a failure without one depends on the machine's"
    echo "timing, so on a luckier run this code would get full marks. Make a test catch it under a"
    echo "seeded schedule (goc::yield() where the goroutines should be able to interleave)."
    exit 1
  done
fi
if [[ $failures -eq 0 ]]; then
  echo "every program passed${schedules:+ under every schedule and without one}: this code would get full marks, but it should not"
  exit 1
fi
exit 0
