#!/usr/bin/env bash
# Runs Go's benchmarks (../shared/bench-go and bench/go) and the runtime's
# (goc_bench) on this machine and prints each workload's ratio goc / Go.
# usage: bench/compare.sh BUILD_DIR      (BUILD_DIR of the `bench` preset)
#
# The two sides are interleaved, one workload at a time (Go's run of a
# workload, then goc's, for GOC_BENCH_ROUNDS rounds, default 5), so that both
# see the same machine: on a shared machine the load drifts within a minute,
# and running all of Go's benchmarks before all of goc's would compare two
# different machines. Each round's ratio divides that round's goc figure by
# that round's Go figure; the table gives the min, median and max of those
# ratios, and a target is met only when every round meets it (and, for the
# hand-off and select, when the median is also within 2x).
set -euo pipefail
[[ -d "${1:?usage: compare.sh BUILD_DIR}" ]] || { echo "error: no build directory $1" >&2; exit 1; }
build="$(cd "$1" && pwd)"  # absolute: go refuses a relative GOCACHE
rounds="${GOC_BENCH_ROUNDS:-5}"
here="$(cd "$(dirname "$0")" && pwd)"
go_dir="$(cd "${GOC_BENCH_GO_DIR:-$here/../../shared/bench-go}" 2>/dev/null && pwd || true)"
if [[ -z "$go_dir" || ! -f "$go_dir/chan_test.go" ]]; then
  echo "error: Go's side of the benchmarks is not at ${GOC_BENCH_GO_DIR:-$here/../../shared/bench-go} (set GOC_BENCH_GO_DIR)" >&2
  exit 1
fi
if ! command -v go >/dev/null; then
  echo "error: go is not installed (Debian/Ubuntu: apt-get install golang-go)" >&2
  exit 1
fi
for prog in goc_bench goc_schedule_bench; do
  if [[ ! -x "$build/bench/$prog" ]]; then
    echo "error: $build/bench/$prog is not built (./course bench builds both; or" \
      "cmake --build --preset bench --target goc_bench goc_schedule_bench)" >&2
    exit 1
  fi
done
work="$build/bench-run"
rm -rf "$work"
mkdir -p "$work/go" "$work/goc"
# One package: the shared workloads and the worker pool of bench/go.
cp "$go_dir"/*.go "$here"/go/*.go "$here/go/go.mod" "$work/go/"
echo "Building Go's benchmarks ($(go version | awk '{print $3}'))..." >&2
(cd "$work/go" && GOCACHE="$work/gocache" GOFLAGS=-mod=mod go test -c -o "$work/benchgo.test")
workloads=(UnbufferedHandoff BufferedSPSC BufferedMPMC4x4 Select2 SpawnJoin MutexContended4
           WorkerPool3)
{
  echo "machine: $("$here/machine.sh"); Go $(go version | awk '{print $3}'); $rounds rounds"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/head.txt"
for ((round = 1; round <= rounds; round++)); do
  echo "Round $round of $rounds..." >&2
  for w in "${workloads[@]}"; do
    go_args=()
    # Lesson 05's pool over exactly 100,000 jobs, as goc_bench runs it.
    [[ $w == WorkerPool3 ]] && go_args=(-test.benchtime 100000x)
    "$work/benchgo.test" -test.run '^$' -test.bench "^Benchmark$w\$" -test.count 1 \
      "${go_args[@]}" | sed "s/^/$round /" >>"$work/go.txt"
    "$build/bench/goc_bench" --benchmark_filter="^BM_$w/" --benchmark_repetitions=1 \
      --benchmark_out="$work/goc/$round-$w.json" --benchmark_out_format=json >/dev/null 2>&1
  done
  # What a hand-off costs when every wait parks (goc only: spinning off), and
  # a cache-line round trip between two threads (no goc: the machine's floor).
  for extra in UnbufferedHandoffParked ThreadRoundTrip; do
    "$build/bench/goc_bench" --benchmark_filter="^BM_$extra/" --benchmark_repetitions=1 \
      --benchmark_out="$work/goc/$round-$extra.json" --benchmark_out_format=json >/dev/null 2>&1
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" >"$work/tail.txt"
python3 - "$work" <<'PY'
import glob, json, os, re, statistics, sys
work = sys.argv[1]
go = {}  # name -> {round: ns/op}
for line in open(os.path.join(work, "go.txt")):
    m = re.match(r"(\d+) Benchmark(\w+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        go.setdefault(m.group(2), {})[int(m.group(1))] = float(m.group(4))
goc, extra = {}, {}
for path in glob.glob(os.path.join(work, "goc", "*.json")):
    rnd = int(os.path.basename(path).split("-")[0])
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration" or "ns_per_op" not in b:
            continue  # an aggregate, or skipped (the round trip on one core)
        name = b["name"].split("/")[0].removeprefix("BM_")
        # The first of a name: the filter also matches the smaller run of the
        # same workload that the tracing benchmarks compare with.
        goc.setdefault(name, {}).setdefault(rnd, b["ns_per_op"])
        if "park_cost_ns" in b:
            extra.setdefault("park_cost_ns", []).append(b["park_cost_ns"])
targets = {"UnbufferedHandoff": (3, 2), "BufferedSPSC": (1.5, None),
           "BufferedMPMC4x4": (2, None), "Select2": (3, 2), "SpawnJoin": (2, None),
           "MutexContended4": (1.5, None), "WorkerPool3": (None, None)}
print(open(os.path.join(work, "head.txt")).read().strip())
print(f"{'workload':<18} {'Go ns/op':>9} {'goc ns/op':>10}  {'ratio min / median / max':>26}  target")
nan = float("nan")
for name, (target, median_target) in targets.items():
    rounds = sorted(set(go.get(name, {})) & set(goc.get(name, {})))
    ratios = [goc[name][r] / go[name][r] for r in rounds]
    if not ratios:
        print(f"{name:<18} (no figures)")
        continue
    g = statistics.median(go[name][r] for r in rounds)
    c = statistics.median(goc[name][r] for r in rounds)
    lo, med, hi = min(ratios), statistics.median(ratios), max(ratios)
    spread = f"{lo:.2f}x / {med:.2f}x / {hi:.2f}x"
    if target is None:
        verdict = ""
    else:
        ok = hi <= target and (median_target is None or med <= median_target)
        verdict = f"<= {target}x" + (f", median <= {median_target}x" if median_target else "")
        verdict += "  ok" if ok else "  MISSED"
    print(f"{name:<18} {g:>9.1f} {c:>10.1f}  {spread:>26}  {verdict}")
parked = list(goc.get("UnbufferedHandoffParked", {}).values())
if parked:
    cost = statistics.median(extra.get("park_cost_ns", [nan]))
    print(f"hand-off when every wait parks (spinning off): {min(parked):.0f} / "
          f"{statistics.median(parked):.0f} / {max(parked):.0f} ns per op (min / median / max);"
          f" park cost the runtime measured: {cost / 1000:.1f} us")
trip = goc.get("ThreadRoundTrip", {})
handoff = go.get("UnbufferedHandoff", {})
if trip and handoff:
    rounds = sorted(set(trip) & set(handoff))
    floor = [trip[r] / handoff[r] for r in rounds]
    print(f"one cache-line round trip between two threads (no goc): {min(trip.values()):.0f} / "
          f"{statistics.median(trip.values()):.0f} / {max(trip.values()):.0f} ns "
          f"(min / median / max), {statistics.median(floor):.2f}x Go's hand-off: the least a "
          f"hand-off between two OS threads costs on this machine (goroutines under "
          f"ThreadSanitizer or GOC_GOROUTINES=threads)")
print(open(os.path.join(work, "tail.txt")).read().strip())
PY
# Seeded schedules (goc only): scheduling decisions per second.
echo
"$build/bench/goc_schedule_bench" "$rounds" || true
