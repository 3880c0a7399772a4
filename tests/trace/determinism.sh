#!/bin/sh
# Runs PROGRAM RUNS times under one seeded schedule with GOC_TRACE and checks
# that every trace is byte-identical to the first (issue 20: the same seed
# gives the same file). Prints one line with the result; exit 0 when all match.
#
#   tests/trace/determinism.sh PROGRAM [RUNS] [SCHEDULE]
#   e.g. tests/trace/determinism.sh build/plain/exercises/ex_05_02_solution_public 100 random:7
set -u
program=${1:?usage: determinism.sh PROGRAM [RUNS] [SCHEDULE], e.g. build/plain/exercises/ex_05_02_solution_public 100 random:7}
runs=${2:-5}
schedule=${3:-random:7}
if [ ! -x "$program" ]; then
  echo "determinism.sh: $program is not an executable program: build it first" >&2
  exit 2
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/goc-trace-determinism.XXXXXX")
trap 'rm -rf "$dir"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
  if ! GOC_SCHEDULE=$schedule GOC_TRACE="$dir/run$i.json" "$program" > "$dir/out$i.txt" 2>&1; then
    echo "run $i of $program under GOC_SCHEDULE=$schedule failed; its output:" >&2
    cat "$dir/out$i.txt" >&2
    exit 1
  fi
  if [ "$i" -gt 1 ] && ! cmp -s "$dir/run1.json" "$dir/run$i.json"; then
    echo "run $i of $(basename "$program") under GOC_SCHEDULE=$schedule wrote a different trace from run 1:" >&2
    diff "$dir/run1.json" "$dir/run$i.json" | head -20 >&2
    exit 1
  fi
  i=$((i + 1))
done
echo "$runs runs of $(basename "$program") under GOC_SCHEDULE=$schedule: all traces byte-identical ($(wc -c < "$dir/run1.json") bytes, md5 $(md5sum < "$dir/run1.json" | cut -c1-32))"
