#!/usr/bin/env bash
# What a submission costs to grade with each compiler the grader can use:
# grade-all of COPIES copies of the reference solutions, with --compiler g++ and the
# default (clang++ where it builds ThreadSanitizer programs), alternating,
# ROUNDS times, in one run on one machine. Each compiler has its own warm
# cache (build/grader-cache and build/grader-cache-g++).
#
#   bench/grader-compiler-cost.sh [COPIES] [ROUNDS] [SIDES]
#
# Defaults: 4 copies, 3 rounds, SIDES "g++ default" (SIDES "default" times
# the default compiler alone). Prints each run (wall time per submission,
# CPU per submission, how many scored 200/200, the load before), then
# min / median / max per compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-4}
rounds=${2:-3}
sides=${3:-"g++ default"}
work=$(mktemp -d /tmp/goc-compiler-cost-XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
for c in $(seq 1 "$copies"); do
  mkdir -p "$work/subs/s$c"
  cp -r solutions "$work/subs/s$c/exercises"
done
chmod -R o+rX "$work"

grader=build/plain/grader/goc-grader
./course grade solutions -q >/dev/null  # builds the grader, warms the default cache
echo "default compiler: $(grep -h '^CMAKE_CXX_COMPILER:' build/grader-cache/plain/CMakeCache.txt | cut -d= -f2)"
if [[ " $sides " == *" g++ "* ]]; then
  echo "Warming the g++ cache ..."
  "$grader" --root . grade solutions -q --compiler g++ --cache build/grader-cache-g++ --out "$work/warm" >/dev/null
fi

declare -A times
for round in $(seq 1 "$rounds"); do
  for side in $sides; do
    args=()
    [[ $side == g++ ]] && args=(--compiler g++ --cache build/grader-cache-g++)
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S' -o "$work/time" \
      "$grader" --root . grade-all "$work/subs" --out "$work/out-$side-$round" -q "${args[@]}" \
      >"$work/$side-$round.log" 2>&1
    read -r wall user sys <"$work/time"
    per=$(echo "$wall / $copies" | bc -l)
    cpu=$(echo "($user + $sys) / $copies" | bc -l)
    full=$(grep -c "200/200" "$work/$side-$round.log" || true)
    printf '%-7s round %d: %5.1f s per submission, %5.1f s of CPU each (%d at 200/200; load before %s)\n' \
      "$side" "$round" "$per" "$cpu" "$full" "$load"
    times[$side]+="$per "
  done
done
summary() {
  sort -n | awk '{a[NR]=$1} END {printf "min %.1f, median %.1f, max %.1f s per submission", a[1], a[int((NR+1)/2)], a[NR]}'
}
for side in $sides; do
  printf '%-7s %s\n' "$side" "$(tr ' ' '\n' <<<"${times[$side]}" | grep . | summary)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
