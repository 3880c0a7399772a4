#!/bin/sh
# Compares two builds of goc_bench on the same machine: runs them in turn,
# ROUNDS times each, and prints per benchmark the min / median / max of
# ns_per_op for each build and the ratio of the medians (new / base).
# Used for issue 20: the trace hooks compiled in but off must cost no
# workload more than 2% (base: main's build of the same benchmarks).
#
#   bench/compare-builds.sh BASE_GOC_BENCH NEW_GOC_BENCH [ROUNDS] [FILTER]
#   e.g. chrt -f 10 bench/compare-builds.sh /tmp/main/build/bench/bench/goc_bench \
#          build/bench/bench/goc_bench 7
# On a busy machine run it under `chrt -f 10` (as root), as above.
set -eu
base=${1:?usage: compare-builds.sh BASE_GOC_BENCH NEW_GOC_BENCH [ROUNDS] [FILTER]}
new=${2:?usage: compare-builds.sh BASE_GOC_BENCH NEW_GOC_BENCH [ROUNDS] [FILTER]}
rounds=${3:-5}
# By default the workloads both builds have: the first size of each.
filter=${4:-'^BM_[A-Za-z0-9]+/[0-9]+/'}
for b in "$base" "$new"; do
  [ -x "$b" ] || { echo "compare-builds.sh: $b is not an executable: build goc_bench first" >&2; exit 2; }
done
out=$(mktemp -d "${TMPDIR:-/tmp}/goc-compare.XXXXXX")
trap 'rm -rf "$out"' EXIT
i=1
while [ "$i" -le "$rounds" ]; do
  for side in base new; do
    eval prog=\$$side
    "$prog" --benchmark_filter="$filter" --benchmark_format=json 2>/dev/null > "$out/run.json"
    python3 -c 'import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    print(sys.argv[2], b["name"], b["ns_per_op"])' "$out/run.json" "$side" >> "$out/all.txt"
  done
  i=$((i + 1))
done
python3 - "$out/all.txt" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side, name, value = line.split()
    name = name.replace("/iterations:1/real_time", "")
    runs.setdefault(name, {}).setdefault(side, []).append(float(value))
print(f"{'benchmark':40} {'base min/median/max ns':>28} {'new min/median/max ns':>28} {'new/base':>9}")
for name, sides in runs.items():
    b, n = sides.get("base", []), sides.get("new", [])
    if not b or not n:
        continue
    fmt = lambda v: f"{min(v):.1f}/{statistics.median(v):.1f}/{max(v):.1f}"
    print(f"{name:40} {fmt(b):>28} {fmt(n):>28} {statistics.median(n) / statistics.median(b):9.3f}")
PY
