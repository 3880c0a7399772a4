#!/usr/bin/env bash
# Runs Go's benchmarks (../shared/bench-go) and the runtime's (goc_bench) on
# this machine and prints each workload's ratio goc / Go.
# usage: bench/compare.sh BUILD_DIR      (BUILD_DIR of the `bench` preset)
#
# The two sides are interleaved, one workload at a time (Go's run of a
# workload, then goc's, for GOC_BENCH_ROUNDS rounds, default 5), so that both
# see the same machine: on a shared machine the load drifts within a minute,
# and running all of Go's benchmarks before all of goc's would compare two
# different machines. Each figure is the median over the rounds.
set -euo pipefail
build="${1:?usage: compare.sh BUILD_DIR}"
rounds="${GOC_BENCH_ROUNDS:-5}"
here="$(cd "$(dirname "$0")" && pwd)"
go_dir="${GOC_BENCH_GO_DIR:-$here/../../shared/bench-go}"
if [[ ! -f "$go_dir/chan_test.go" ]]; then
  echo "error: Go's side of the benchmarks is not at $go_dir (set GOC_BENCH_GO_DIR)" >&2
  exit 1
fi
work="$build/bench-run"
rm -rf "$work"
mkdir -p "$work/go" "$work/goc"
cp "$go_dir"/*.go "$go_dir/go.mod" "$work/go/"
echo "Building Go's benchmarks ($(go version | awk '{print $3}'))..." >&2
(cd "$work/go" && GOCACHE="$work/gocache" GOFLAGS=-mod=mod go test -c -o "$work/benchgo.test")
workloads=(UnbufferedHandoff BufferedSPSC BufferedMPMC4x4 Select2 SpawnJoin MutexContended4)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >"$work/load.txt"
for ((round = 1; round <= rounds; round++)); do
  echo "Round $round of $rounds..." >&2
  for w in "${workloads[@]}"; do
    "$work/benchgo.test" -test.run '^$' -test.bench "^Benchmark$w\$" -test.count 1 >>"$work/go.txt"
    "$build/bench/goc_bench" --benchmark_filter="^BM_$w/" --benchmark_repetitions=1 \
      --benchmark_out="$work/goc/$round-$w.json" --benchmark_out_format=json >/dev/null 2>&1
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/load.txt"
python3 - "$work/go.txt" "$work/goc" "$work/load.txt" <<'PY'
import glob, json, re, statistics, sys
go_txt, goc_dir, load_txt = sys.argv[1], sys.argv[2], sys.argv[3]
go = {}
for line in open(go_txt):
    m = re.match(r"Benchmark(\w+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        go.setdefault(m.group(1), []).append(float(m.group(3)))
goc = {}
for path in glob.glob(goc_dir + "/*.json"):
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = b["name"].split("/")[0].removeprefix("BM_")
        goc.setdefault(name, []).append(b["ns_per_op"])
targets = {"UnbufferedHandoff": 3, "BufferedSPSC": 1.5, "BufferedMPMC4x4": 2,
           "Select2": 3, "SpawnJoin": 10, "MutexContended4": 1.5}
print(open(load_txt).read().strip())
print(f"{'workload':<20} {'Go ns/op':>10} {'goc ns/op':>10} {'ratio':>7} {'target':>7}")
for name, target in targets.items():
    g = statistics.median(go.get(name, [float('nan')]))
    c = statistics.median(goc.get(name, [float('nan')]))
    ratio = c / g
    mark = "ok" if ratio <= target else "MISSED"
    print(f"{name:<20} {g:>10.1f} {c:>10.1f} {ratio:>6.2f}x {'<=' + str(target) + 'x':>7} {mark}")
PY
