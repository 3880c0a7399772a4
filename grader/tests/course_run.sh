#!/usr/bin/env bash
# `./course run EXAMPLE` builds one lesson example and runs it: what it prints
# is the example's own output, byte for byte, and its build progress on a pipe
# is plain lines. `./course run` alone lists the examples; a typo gets the
# nearest name.
#   course_run.sh GRADER ROOT BUILD_DIR
# Through ./course itself when BUILD_DIR is the course's build/plain (as in
# CI); otherwise the same grader command with --build-plain.
set -euo pipefail
grader=$1 root=$2 build=$3
if [[ "$build" == "$root/build/plain" ]]; then
  run=("$root/course" run)
else
  run=("$grader" --root "$root" run --build-plain "$build")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"${run[@]}" lessons/01-goroutines/examples/01-go-statement.cpp >"$work/out" 2>"$work/err" ||
  fail "run of 01-go-statement exited with $?: $(cat "$work/err")"
cmp -s "$work/out" "$root/lessons/01-goroutines/examples/01-go-statement.expected" ||
  fail "the output is not the example's: $(diff "$work/out" "$root/lessons/01-goroutines/examples/01-go-statement.expected")"
if grep -q $'\r\|\033' "$work/err"; then fail "progress on a pipe redraws a terminal line: $(cat -A "$work/err")"; fi
grep -q '^== 01-goroutines/01-go-statement' "$work/err" || fail "no header naming the example: $(cat "$work/err")"

# The rest straight from the grader (./course would only check the build again).
direct=("$grader" --root "$root" run --build-plain "$build")
"${direct[@]}" >"$work/list" 2>&1 || fail "run without an example exited with $?"
grep -q '^  01-goroutines/01-go-statement$' "$work/list" || fail "run without an example does not list them: $(cat "$work/list")"
grep -q '^  05-worker-pool/' "$work/list" || fail "the list misses lesson 05: $(cat "$work/list")"

if "${direct[@]}" go-statment >"$work/typo" 2>&1; then fail "a misspelt example ran"; fi
grep -q 'Did you mean 01-goroutines/01-go-statement?' "$work/typo" || fail "no suggestion for a typo: $(cat "$work/typo")"
echo "ok: ${run[*]} builds and runs one example; run lists them and suggests on a typo"
