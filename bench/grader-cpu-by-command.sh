#!/usr/bin/env bash
# Where one warm `grade solutions` spends its CPU, by command: the grader,
# its run leaders, the compiler, the linker, objdump, the test programs (the
# threads ThreadSanitizer programs name after their goroutines apart).
#
#   bench/grader-cpu-by-command.sh [GRADER]
#
# GRADER defaults to this tree's build/plain/grader/goc-grader; pass another
# revision's binary (built as bench/grader-ab.sh does) to compare. Samples
# with `perf record -p` (which follows the grader's children) at 999 Hz and
# prints seconds of CPU per command. Needs perf (linux-perf) and root or
# perf_event_paranoid <= 1.
set -euo pipefail
cd "$(dirname "$0")/.."
grader=${1:-build/plain/grader/goc-grader}
command -v perf >/dev/null || { echo "needs perf: apt-get install linux-perf" >&2; exit 2; }
work=$(mktemp -d /tmp/goc-cpu-by-command-XXXXXX)
trap 'rm -rf "$work"' EXIT
./course grade solutions -q >"$work/warm.log" 2>&1 || { cat "$work/warm.log"; exit 1; }

"$grader" --root . grade solutions -q --out "$work/out" >"$work/grade.log" 2>&1 &
grader_pid=$!
perf record -q -p "$grader_pid" -o "$work/perf.data" -e cpu-clock -F 999 2>/dev/null &
perf_pid=$!
wait "$grader_pid" || { cat "$work/grade.log"; exit 1; }
kill -INT "$perf_pid"
wait "$perf_pid" || true
echo "$(grep -o '[0-9.]*/200' "$work/grade.log" | tail -1) with $grader; load after $(cut -d' ' -f1 /proc/loadavg)"
perf script -i "$work/perf.data" -F comm 2>/dev/null | awk '
  { c = $1
    if (c ~ /^goroutine/) c = "ThreadSanitizer goroutine threads"
    else if (c ~ /_studen/) c = "test programs"
    n[c]++; total++ }
  END { for (k in n) if (n[k] >= 50) printf "%7.1f s  %s\n", n[k] / 999, k
        printf "%7.1f s  all\n", total / 999 }' | sort -rn
