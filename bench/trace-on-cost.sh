#!/bin/sh
# What tracing costs when it is on (issue 20: at most 2x per operation):
# runs goc_bench's traced workloads beside the same workloads untraced,
# ROUNDS times, and prints per workload the ratio traced / untraced of
# ns_per_op, min / median / max over the rounds (each round's ratio divides
# that round's traced run by the untraced run just before it), with the load;
# then each side's ns_per_op, min - max over the rounds.
#
#   bench/trace-on-cost.sh GOC_BENCH [ROUNDS]
#   e.g. bench/trace-on-cost.sh build/bench/bench/goc_bench 7
set -eu
prog=${1:?usage: trace-on-cost.sh GOC_BENCH [ROUNDS]}
rounds=${2:-5}
[ -x "$prog" ] || { echo "trace-on-cost.sh: $prog is not an executable: build goc_bench (bench preset) first" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/goc-trace-cost.XXXXXX")
trap 'rm -rf "$out"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
i=1
while [ "$i" -le "$rounds" ]; do
  # The traced workloads and their untraced twins at the same size, in the
  # order goc_bench declares them (each untraced run just before its traced one).
  "$prog" --benchmark_filter='^(Traced<)?BM_[A-Za-z0-9]+>?/[0-9]+/' --benchmark_format=json \
    2>/dev/null > "$out/run$i.json"
  i=$((i + 1))
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$rounds" <<'PY'
import json, os, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ratios, plain_ns, traced_ns = {}, {}, {}
for r in range(1, rounds + 1):
    figures = {}
    for b in json.load(open(os.path.join(out, f"run{r}.json")))["benchmarks"]:
        m = re.match(r"(Traced<)?BM_(\w+)>?/(\d+)/", b["name"])
        figures[(m.group(2), m.group(3), bool(m.group(1)))] = b["ns_per_op"]
    for (name, size, traced), ns in figures.items():
        if not traced or (name, size, False) not in figures:
            continue
        base = figures[(name, size, False)]
        ratios.setdefault(name, []).append(ns / base)
        plain_ns.setdefault(name, []).append(base)
        traced_ns.setdefault(name, []).append(ns)
print(f"{'workload':<20} {'untraced ns/op':>15} {'traced ns/op':>13}  {'traced/untraced min / median / max':>36}")
for name, rs in ratios.items():
    spread = f"{min(rs):.2f}x / {statistics.median(rs):.2f}x / {max(rs):.2f}x"
    verdict = "ok" if max(rs) <= 2 else ("median ok" if statistics.median(rs) <= 2 else "OVER 2x")
    print(f"{name:<20} {statistics.median(plain_ns[name]):>15.1f} {statistics.median(traced_ns[name]):>13.1f}  {spread:>36}  {verdict}")
# How far each side moved from round to round: a round's ratio moves with
# its untraced run as much as with its traced one.
print(f"\n{'workload':<20} {'untraced ns/op min - max':>26} {'traced ns/op min - max':>24}")
for name in ratios:
    u, t = plain_ns[name], traced_ns[name]
    print(f"{name:<20} {min(u):>12.1f} - {max(u):<11.1f} {min(t):>10.1f} - {max(t):<11.1f}")
PY
