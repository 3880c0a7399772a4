#!/bin/sh
# What tracing costs when it is on (issue 20: at most 2x per operation):
# runs goc_bench's traced workloads beside the same workloads untraced and
# prints per workload the ratio traced / untraced of ns_per_op, min / median
# / max over ROUNDS rounds, with the load.
#
# A round is PAIRS runs of goc_bench, one after the other; each run times
# every workload untraced and then traced (3-8 ms each). The round's ratio
# divides the traced ns_per_op, summed over its runs, by the untraced one,
# summed the same way: both sides of a round see the same stretch of the
# machine's time. (On a shared machine one run of a workload can take 1.5x
# another of the same build a second later, and a goroutine's placement on
# the cores differs from process to process: one untraced run divided by one
# traced run measures that as much as the trace.) The script then prints
# the single runs' ratios, min / median / max, and each side's ns_per_op,
# min - max over the single runs: how far the machine moved.
#
# Each run of goc_bench also times BM_ThreadRoundTrip, a cache line's round
# trip between two threads (no goc); the script prints the median of a
# round's trips beside the round's ratios. The host changes it several-fold
# from one stretch to the next (about 60-130 and 270-355 ns on the course's
# machines), and a contended Mutex pays a trip at each hand-over of the lock
# between cores.
#
# The Mutex workloads with more than one goroutine report at_once, how many
# goroutines were inside their loops at once on average (about 1: one after
# another); the script prints its spread for each side, since a ratio of two
# runs that the scheduler placed differently measures the placement too.
#
# A run of goc_bench may skip the two-thread Mutex (its goroutines never
# shared two cores: one core, or a busy host); its round then counts
# through its other runs. The script ends with a warning when the host was
# busy (round trips several times slower in some rounds, or a workload
# faster traced than untraced): the ratios then measure the host too.
#
#   bench/trace-on-cost.sh GOC_BENCH [ROUNDS] [PAIRS]
#   e.g. bench/trace-on-cost.sh build/bench/bench/goc_bench 7 3
set -eu
prog=${1:?usage: trace-on-cost.sh GOC_BENCH [ROUNDS] [PAIRS]}
rounds=${2:-7}
pairs=${3:-3}
[ -x "$prog" ] || { echo "trace-on-cost.sh: $prog is not an executable: build goc_bench (bench preset) first" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/goc-trace-cost.XXXXXX")
trap 'rm -rf "$out"' EXIT
echo "machine: $("$(dirname "$0")/machine.sh")"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$rounds" ]; do
  p=1
  while [ "$p" -le "$pairs" ]; do
    # The traced workloads and their untraced twins at the same size, in the
    # order goc_bench declares them (each untraced run just before its traced one).
    "$prog" --benchmark_filter='^(Traced<)?BM_[A-Za-z0-9]+>?/[0-9]+/' --benchmark_format=json \
      2>/dev/null > "$out/run$r.$p.json"
    p=$((p + 1))
  done
  r=$((r + 1))
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$rounds" "$pairs" <<'PY'
import json, os, re, statistics, sys
out, rounds, pairs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def benchmarks(path):
    """(workload, size, traced, figures) for each benchmark of one goc_bench run."""
    for b in json.load(open(path))["benchmarks"]:
        m = re.match(r"(Traced<)?BM_(\w+)>?/(\d+)/", b["name"])
        yield m.group(2), m.group(3), bool(m.group(1)), b

# Each run's benchmarks, read once: runs_read[r][p] is round r's run p (from 0).
runs_read = [[list(benchmarks(os.path.join(out, f"run{r}.{p}.json"))) for p in range(1, pairs + 1)]
             for r in range(1, rounds + 1)]

def run_figures(run):
    """{workload: (untraced ns_per_op, traced ns_per_op)} of one goc_bench run."""
    figures = {}
    for name, size, traced, b in run:
        if "ns_per_op" in b:  # not skipped (as the two-thread Mutex is on one core)
            figures[(name, size, traced)] = b["ns_per_op"]
    return {name: (ns, figures[(name, size, True)])
            for (name, size, traced), ns in figures.items()
            if not traced and (name, size, True) in figures}

# A workload that a run skipped (the two-thread Mutex, when its goroutines
# never shared a moment on two cores: one core, or a busy host) counts in
# its round through the round's other runs; a round with none has no ratio.
names, skipped = [], {}
round_ratios, round_plain, round_traced = {}, {}, {}
single_ratios, single_plain, single_traced = {}, {}, {}
all_runs = [[run_figures(run) for run in runs] for runs in runs_read]
for runs in all_runs:
    for run in runs:
        names.extend(name for name in run if name not in names)
for runs in all_runs:
    for name in names:
        have = [run[name] for run in runs if name in run]
        skipped[name] = skipped.get(name, 0) + len(runs) - len(have)
        plain, traced = [u for u, _ in have], [t for _, t in have]
        round_ratios.setdefault(name, []).append(sum(traced) / sum(plain) if have else None)
        if not have:
            continue
        round_plain.setdefault(name, []).append(sum(plain) / len(have))
        round_traced.setdefault(name, []).append(sum(traced) / len(have))
        single_ratios.setdefault(name, []).extend(t / u for u, t in zip(plain, traced))
        single_plain.setdefault(name, []).extend(plain)
        single_traced.setdefault(name, []).extend(traced)

def at_once(run):
    """{workload: (untraced at_once, traced at_once)} of one run, for the
    workloads that report how many goroutines were inside their loops at once."""
    seen = {}
    for name, _, traced, b in run:
        if "at_once" in b:
            seen.setdefault(name, [None, None])[traced] = b["at_once"]
    return {name: tuple(sides) for name, sides in seen.items() if None not in sides}

def trip(run):
    """The run's BM_ThreadRoundTrip: ns per round trip between two threads."""
    return next((b["ns_per_op"] for name, _, _, b in run
                 if name == "ThreadRoundTrip" and "ns_per_op" in b),
                float("nan"))  # skipped: one core

trips = [statistics.median(trip(run) for run in runs) for runs in runs_read]

kBusyTrips = 3  # a round's median trip over 3x the quickest round's: a busy host

def spread(values, unit="x"):
    return f"{min(values):.2f}{unit} / {statistics.median(values):.2f}{unit} / {max(values):.2f}{unit}"

print(f"rounds of {pairs} runs each: traced / untraced of the round's summed ns_per_op")
print(f"{'workload':<20} {'untraced ns/op':>15} {'traced ns/op':>13}  {'ratio min / median / max':>26}")
for name in names:
    rs = [x for x in round_ratios[name] if x is not None]
    verdict = "ok" if max(rs) <= 2 else ("median ok" if statistics.median(rs) <= 2 else "OVER 2x")
    if skipped[name]:
        verdict += f" ({skipped[name]} of {rounds * pairs} runs skipped it)"
    print(f"{name:<20} {statistics.median(round_plain[name]):>15.1f} "
          f"{statistics.median(round_traced[name]):>13.1f}  {spread(rs):>26}  {verdict}")
print(f"\nper round: the median of its runs' round trips between two threads, and each workload's ratio")
print(f"{'round':<6} {'trip ns':>8}  " + "  ".join(f"{name[:14]:>14}" for name in names))
for r in range(rounds):
    print(f"{r + 1:<6} {trips[r]:>8.0f}  " +
          "  ".join(f"{round_ratios[name][r]:>13.2f}x" if round_ratios[name][r] is not None
                    else f"{'skipped':>14}" for name in names))
overlap = {}
for runs in runs_read:
    for run in runs:
        for name, sides in at_once(run).items():
            overlap.setdefault(name, []).append(sides)
if overlap:
    print(f"\ngoroutines inside their loops at once, per run (about 1: one after another; below 1: at times none), min / median / max")
    print(f"{'workload':<20} {'untraced':>20} {'traced':>20}")
    for name, runs in overlap.items():
        u, t = [s[0] for s in runs], [s[1] for s in runs]
        print(f"{name:<20} {spread(u, ''):>20} {spread(t, ''):>20}")
print(f"\nsingle runs ({rounds * pairs}, less those skipped): traced / untraced of one run, and each side's ns_per_op")
print(f"{'workload':<20} {'ratio min / median / max':>26} {'untraced min - max':>20} {'traced min - max':>18}")
for name in names:
    u, t = single_plain[name], single_traced[name]
    print(f"{name:<20} {spread(single_ratios[name]):>26} {min(u):>9.1f} - {max(u):<8.1f} "
          f"{min(t):>8.1f} - {max(t):<8.1f}")

# A busy host shows in two ways: the round trip, a fixed piece of work,
# takes several times longer in some rounds than in others (its threads
# wait for time slices), and a traced run comes out faster than its
# untraced twin (which was the one kept waiting). The ratios then measure
# the host as much as the trace.
known = [t for t in trips if t == t]  # not nan: skipped on one core
slow_trips = bool(known) and max(known) > kBusyTrips * min(known)
faster_traced = sum(1 for r in range(rounds)
                    if any(round_ratios[n][r] is not None and round_ratios[n][r] < 1 for n in names))
signs = []
if slow_trips:
    signs.append(f"the rounds' round trips took {min(known):.0f}-{max(known):.0f} ns")
if faster_traced:
    signs.append(f"{faster_traced} of {rounds} rounds had a workload faster traced than untraced")
if signs:
    print(f"\nwarning: the host was busy while this ran: {' and '.join(signs)}; "
          f"these ratios measure the host's time slices as much as the trace.\n"
          f"Run it again when nothing else runs (load average now {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} cores).")
PY
