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
#   bench/trace-off-cost.sh [HOOKS_IN_BUILD_DIR] [HOOKS_OUT_BUILD_DIR] [RUNS] [WALL_ROUNDS]
#   defaults: build/bench build/bench-no-trace-hooks 3 0
# WALL_ROUNDS (> 0): then also the wall time of compare.sh's workloads
# (goc_bench at compare.sh's sizes), the two builds alternating, WALL_ROUNDS
# rounds: per workload the ratio in / out of ns_per_op, min / median / max
# over the rounds (each round's ratio divides that round's runs), with the
# load before and after. On a shared machine single rounds swing by more
# than 2%: read the median beside the spread.
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
wall_rounds=${4:-0}
command -v valgrind >/dev/null || { echo "trace-off-cost.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2; exit 2; }
build() {  # DIR HOOKS(ON|OFF)
  if [ ! -f "$1/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$1" -DCMAKE_BUILD_TYPE=Release -DGOC_BENCHMARKS=ON -DGOC_TRACE_HOOKS="$2" >/dev/null
  fi
  cmake --build "$1" --target goc_trace_off_ops -j2 >/dev/null
  if [ "$wall_rounds" -gt 0 ]; then cmake --build "$1" --target goc_bench -j2 >/dev/null; fi
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
[ "$wall_rounds" -gt 0 ] || exit 0
echo
echo "wall time of compare.sh's workloads, hooks in / out (tracing off), $wall_rounds rounds"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
filter='^BM_(UnbufferedHandoff|BufferedSPSC|BufferedMPMC4x4|Select2|SpawnJoin|MutexContended4|WorkerPool3)/(200000|2000000|100000|4000000)/'
i=1
while [ "$i" -le "$wall_rounds" ]; do
  for side in out in; do
    eval dir=\$${side}_dir
    "$dir/bench/goc_bench" --benchmark_filter="$filter" --benchmark_format=json 2>/dev/null \
      > "$tmp/wall-$side-$i.json"
  done
  i=$((i + 1))
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" "$wall_rounds" <<'PY'
import json, os, re, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
ratios, ns_in, ns_out = {}, {}, {}
for r in range(1, rounds + 1):
    per = {}
    for side in ("in", "out"):
        for b in json.load(open(os.path.join(tmp, f"wall-{side}-{r}.json")))["benchmarks"]:
            per[(re.match(r"BM_(\w+)/", b["name"]).group(1), side)] = b["ns_per_op"]
    for (name, side), ns in per.items():
        if side != "in" or (name, "out") not in per:
            continue
        ratios.setdefault(name, []).append(ns / per[(name, "out")])
        ns_in.setdefault(name, []).append(ns)
        ns_out.setdefault(name, []).append(per[(name, "out")])
print(f"{'workload':<20} {'out ns/op':>10} {'in ns/op':>10}  {'in / out min / median / max':>30}")
for name, rs in ratios.items():
    spread = f"{min(rs):.3f} / {statistics.median(rs):.3f} / {max(rs):.3f}"
    print(f"{name:<20} {statistics.median(ns_out[name]):>10.1f} {statistics.median(ns_in[name]):>10.1f}  {spread:>30}")
PY
