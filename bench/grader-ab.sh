#!/usr/bin/env bash
# Two graders against each other on the same work: grade-all of COPIES copies
# of the reference solutions, with the grader of git revision A and of
# revision B alternating, ROUNDS times each, in one run on one machine, both
# on this tree's course and warm grading cache (default compiler).
#
#   bench/grader-ab.sh A B [COPIES] [ROUNDS]
#
# Each revision's goc-grader is built in a temporary worktree (plain preset).
# Prints each run (wall time per submission, CPU per submission, how many
# scored 200/200, the load before), then min / median / max per revision and
# the load after.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/grade-all-rounds.sh
[[ $# -ge 2 ]] || { echo "usage: bench/grader-ab.sh A B [COPIES] [ROUNDS]" >&2; exit 2; }
revs=("$1" "$2")
labels=("A $1" "B $2")  # apart even when A and B are the same revision
copies=${3:-4}
rounds=${4:-3}
work=$(mktemp -d /tmp/goc-grader-ab-XXXXXX)
chmod 755 "$work"
cleanup() {
  for side in 0 1; do git worktree remove --force "$work/tree$side" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

declare -a graders
for side in 0 1; do
  echo "Building the grader of ${revs[$side]} ..."
  git worktree add --detach -q "$work/tree$side" "${revs[$side]}"
  (cd "$work/tree$side" && cmake --preset plain >/dev/null &&
    cmake --build build/plain --target goc_grader -j "$(nproc)" >/dev/null)
  graders[$side]="$work/tree$side/build/plain/grader/goc-grader"
done

make_copies "$work/subs" "$copies"
# Warms this tree's cache (and builds its grader).
./course grade solutions -q >"$work/warm.log" 2>&1 || { cat "$work/warm.log"; exit 1; }

for round in $(seq 1 "$rounds"); do
  for side in 0 1; do
    time_round "${labels[$side]}" "$round" "$work/$side-$round.log" \
      "${graders[$side]}" --root . grade-all "$work/subs" --out "$work/out-$side-$round" -q
  done
done
print_spread "${labels[@]}"
