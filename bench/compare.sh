#!/usr/bin/env bash
# Runs Go's benchmarks (../shared/bench-go) and the runtime's (goc_bench) in
# one go on this machine, and prints each workload's ratio goc / Go.
# usage: bench/compare.sh BUILD_DIR      (BUILD_DIR of the `bench` preset)
set -euo pipefail
build="${1:?usage: compare.sh BUILD_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
go_dir="${GOC_BENCH_GO_DIR:-$here/../../shared/bench-go}"
if [[ ! -f "$go_dir/chan_test.go" ]]; then
  echo "error: Go's side of the benchmarks is not at $go_dir (set GOC_BENCH_GO_DIR)" >&2
  exit 1
fi
work="$build/bench-run"
mkdir -p "$work/go"
cp "$go_dir"/*.go "$go_dir/go.mod" "$work/go/"
echo "Running Go's benchmarks ($(go version | awk '{print $3}'))..." >&2
(cd "$work/go" && GOCACHE="$work/gocache" GOFLAGS=-mod=mod go test -run '^$' -bench . -count 5) >"$work/go.txt"
echo "Running goc's benchmarks..." >&2
"$build/bench/goc_bench" --benchmark_format=json >"$work/goc.json" 2>/dev/null
python3 - "$work/go.txt" "$work/goc.json" <<'PY'
import json, re, statistics, sys
go_txt, goc_json = sys.argv[1], sys.argv[2]
go = {}
for line in open(go_txt):
    m = re.match(r"Benchmark(\w+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        go.setdefault(m.group(1), []).append(float(m.group(3)))
goc = {}
for b in json.load(open(goc_json))["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    name = b["name"].split("/")[0].removeprefix("BM_")
    goc.setdefault(name, []).append(b["ns_per_op"])
targets = {"UnbufferedHandoff": 3, "BufferedSPSC": 1.5, "BufferedMPMC4x4": 2,
           "Select2": 3, "SpawnJoin": 10, "MutexContended4": 1.5}
print(f"{'workload':<20} {'Go ns/op':>10} {'goc ns/op':>10} {'ratio':>7} {'target':>7}")
for name, target in targets.items():
    g = statistics.median(go.get(name, [float('nan')]))
    c = statistics.median(goc.get(name, [float('nan')]))
    ratio = c / g
    mark = "ok" if ratio <= target else "MISSED"
    print(f"{name:<20} {g:>10.1f} {c:>10.1f} {ratio:>6.2f}x {'<=' + str(target) + 'x':>7} {mark}")
PY
