#!/usr/bin/env bash
# expect_failure.sh [--limit SECONDS] -- PROGRAM...
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
# The programs' output is shown with "WARNING: ThreadSanitizer" reworded,
# because CTest fails any test whose output contains that phrase.
set -u

limit=25
while [[ $# -gt 0 ]]; do
  case "$1" in
    --limit) limit="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "expect_failure.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -eq 0 ]]; then
  echo "expect_failure.sh: no program to run" >&2
  exit 2
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
failures=0
while [[ $# -gt 0 ]]; do
  program="$1"
  shift
  timeout --kill-after=5 "$limit" "$program" >"$out" 2>&1
  rc=$?
  verdict=""
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    verdict="hung: still running after ${limit} s"
  elif [[ $rc -ne 0 ]]; then
    verdict="failed: exit status $rc"
  fi
  if grep -q "WARNING: ThreadSanitizer" "$out"; then
    verdict="${verdict:+$verdict, }ThreadSanitizer reported a data race"
  fi
  name="$(basename "$program")"
  if [[ -n "$verdict" ]]; then
    failures=$((failures + 1))
    echo "== $name: $verdict (expected)"
    # The first lines that say why, so a reader can see it failed for a reason.
    grep -E "FAILED|REQUIRE|CHECK|with expansion|panic:|fatal error|goroutine leak|ThreadSanitizer|timed out|did not" "$out" \
      | sed 's/WARNING: ThreadSanitizer/ThreadSanitizer warning/' | head -n 12 | sed 's/^/   | /'
    [[ $# -gt 0 ]] && echo "== not run (one failure is enough): $(basename -a "$@" | tr '\n' ' ')"
    break
  else
    echo "== $name: passed"
  fi
done

if [[ $failures -eq 0 ]]; then
  echo "every program passed: this code would get full marks, but it should not"
  exit 1
fi
exit 0
