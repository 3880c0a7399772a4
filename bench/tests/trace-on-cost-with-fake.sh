#!/bin/sh
# Runs trace-on-cost.sh on fake-goc-bench.sh (2 rounds of 2 runs; SKIP_RUNS
# and SLOW_RUNS pass through), prints its output, and checks it: each
# argument is an extended regular expression that some line must match, or,
# after a leading '!', that no line may match.
here=$(cd "$(dirname "$0")" && pwd)
COUNT_FILE=$(mktemp)
export COUNT_FILE
trap 'rm -f "$COUNT_FILE"' EXIT
out=$("$here/../trace-on-cost.sh" "$here/fake-goc-bench.sh" 2 2) || { echo "$out"; exit 1; }
echo "$out"
for pattern in "$@"; do
  case $pattern in
    !*) if echo "$out" | grep -Eq -- "${pattern#!}"; then echo "unexpected: ${pattern#!}"; exit 1; fi ;;
    *) echo "$out" | grep -Eq -- "$pattern" || { echo "missing: $pattern"; exit 1; } ;;
  esac
done
