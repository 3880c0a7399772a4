#!/bin/sh
# What the trace's hooks cost when tracing is off (issue 20: at most 2% on
# every workload of compare.sh), counted in instructions, which unlike wall
# time on a shared machine do not depend on the load. Builds goc_trace_off_ops
# twice, with the hooks compiled in (the bench preset, as shipped) and out
# (-DGOC_TRACE_HOOKS=OFF, a comparison build only), runs each operation of
# the workloads under valgrind's callgrind at N and 2N repetitions, and prints
# the instructions per operation ((count at 2N - count at N) / N: start-up
# cancels out) of each build and the difference.
#
#   bench/trace-off-cost.sh [HOOKS_IN_BUILD_DIR] [HOOKS_OUT_BUILD_DIR] [RUNS]
#   defaults: build/bench build/bench-no-trace-hooks 3
# RUNS: how many times each threaded operation (spawn, handoff, pool) is
# counted; valgrind runs one thread at a time, and which waits park varies
# from run to run. The single-goroutine operations count the same every run.
# Needs valgrind (Debian: apt-get install valgrind).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
in_dir=${1:-$src/build/bench}
out_dir=${2:-$src/build/bench-no-trace-hooks}
runs=${3:-3}
command -v valgrind >/dev/null || { echo "trace-off-cost.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2; exit 2; }
build() {  # DIR HOOKS(ON|OFF)
  if [ ! -f "$1/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$1" -DCMAKE_BUILD_TYPE=Release -DGOC_BENCHMARKS=ON -DGOC_TRACE_HOOKS="$2" >/dev/null
  fi
  cmake --build "$1" --target goc_trace_off_ops -j2 >/dev/null
  if ! grep -q "^GOC_TRACE_HOOKS:BOOL=$2" "$1/CMakeCache.txt"; then
    echo "trace-off-cost.sh: $1 was configured with GOC_TRACE_HOOKS other than $2" >&2
    exit 2
  fi
}
echo "Building goc_trace_off_ops with the hooks in ($in_dir) and out ($out_dir)..." >&2
build "$in_dir" ON
build "$out_dir" OFF
tmp=$(mktemp -d "${TMPDIR:-/tmp}/goc-trace-off.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
count() {  # PROGRAM OP N: instructions of the whole run
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$1" "$2" "$3" >/dev/null 2>&1
  sed -n 's/^summary: *//p' "$tmp/cg.out"
}
# operation, N, how many runs
for spec in buffered:2000:1 select:2000:1 mutex:2000:1 waitgroup:2000:1 \
            spawn:200:$runs handoff:2000:$runs pool:500:$runs; do
  op=${spec%%:*}; rest=${spec#*:}; n=${rest%%:*}; times=${rest#*:}
  for side in in out; do
    eval dir=\$${side}_dir
    i=1
    while [ "$i" -le "$times" ]; do
      a=$(count "$dir/bench/goc_trace_off_ops" "$op" "$n")
      b=$(count "$dir/bench/goc_trace_off_ops" "$op" $((2 * n)))
      echo "$op $side $(( (b - a) / n ))" >> "$tmp/per-op.txt"
      i=$((i + 1))
    done
  done
done
python3 - "$tmp/per-op.txt" <<'PY'
import statistics, sys
per = {}
for line in open(sys.argv[1]):
    op, side, value = line.split()
    per.setdefault(op, {}).setdefault(side, []).append(int(value))
workloads = {"buffered": "BufferedSPSC, BufferedMPMC4x4", "select": "Select2",
             "mutex": "MutexContended4", "waitgroup": "SpawnJoin, MPMC, WorkerPool3",
             "spawn": "SpawnJoin", "handoff": "UnbufferedHandoff", "pool": "WorkerPool3"}
print("instructions per operation (callgrind), trace hooks compiled out vs in (tracing off)")
print(f"{'operation':<10} {'out':>14} {'in':>14} {'in - out':>9} {'in / out':>9}  workloads")
fmt = lambda v: f"{statistics.median(v)}" if len(set(v)) == 1 else f"{statistics.median(v)} ({min(v)}-{max(v)})"
for op, sides in per.items():
    o, i = statistics.median(sides["out"]), statistics.median(sides["in"])
    print(f"{op:<10} {fmt(sides['out']):>14} {fmt(sides['in']):>14} {i - o:>9} {i / o:>8.3f}x  {workloads[op]}")
PY
