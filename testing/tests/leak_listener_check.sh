#!/usr/bin/env bash
# The leak listener's contract, checked from outside the program:
#   a test case that leaks makes the program exit with status 3, names the
#   test case, and Catch2's report (here XML to a file) is still complete;
#   a [leaks-ok] test case is not reported.
# usage: leak_listener_check.sh PROGRAM
set -uo pipefail
program="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$program" --reporter xml --out "$work/report.xml" 2>"$work/stderr"
status=$?
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$work/stderr"; exit 1; }
[[ $status -eq 3 ]] || fail "exit status $status, expected 3"
grep -q 'goroutine leak in test case "a passing test that leaves a goroutine blocked on a channel"' \
  "$work/stderr" || fail "the leaking test case is not named"
grep -q 'chan receive' "$work/stderr" || fail "the leaked goroutine's state is not shown"
grep -q 'an exempt test' "$work/stderr" && fail "the [leaks-ok] test case was reported"
grep -Eq '</(Catch|Catch2TestRun)>' "$work/report.xml" || fail "the XML report was cut off (v2 ends it with </Catch>, v3 with </Catch2TestRun>)"
grep -q 'test case(s) left goroutines running' "$work/stderr" || fail "no summary line"
echo "ok: exit 3, leak named, report complete"
