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
source bench/grade-all-rounds.sh
copies=${1:-4}
rounds=${2:-3}
sides=${3:-"g++ default"}
work=$(mktemp -d /tmp/goc-compiler-cost-XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
make_copies "$work/subs" "$copies"

grader=build/plain/grader/goc-grader
./course grade solutions -q >/dev/null  # builds the grader, warms the default cache
echo "default compiler: $(grep -h '^CMAKE_CXX_COMPILER:' build/grader-cache/plain/CMakeCache.txt | cut -d= -f2)"
if [[ " $sides " == *" g++ "* ]]; then
  echo "Warming the g++ cache ..."
  "$grader" --root . grade solutions -q --compiler g++ --cache build/grader-cache-g++ --out "$work/warm" >/dev/null
fi

for round in $(seq 1 "$rounds"); do
  for side in $sides; do
    args=()
    [[ $side == g++ ]] && args=(--compiler g++ --cache build/grader-cache-g++)
    time_round "$side" "$round" "$work/$side-$round.log" \
      "$grader" --root . grade-all "$work/subs" --out "$work/out-$side-$round" -q "${args[@]}"
  done
done
# shellcheck disable=SC2086 # one label per word
print_spread $sides
