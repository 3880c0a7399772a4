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
[[ $# -ge 2 ]] || { echo "usage: bench/grader-ab.sh A B [COPIES] [ROUNDS]" >&2; exit 2; }
revs=("$1" "$2")
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

for c in $(seq 1 "$copies"); do
  mkdir -p "$work/subs/s$c"
  cp -r solutions "$work/subs/s$c/exercises"
done
chmod -R o+rX "$work/subs"
# Warms this tree's cache (and builds its grader).
./course grade solutions -q >"$work/warm.log" 2>&1 || { cat "$work/warm.log"; exit 1; }

declare -A times
for round in $(seq 1 "$rounds"); do
  for side in 0 1; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S' -o "$work/time" \
      "${graders[$side]}" --root . grade-all "$work/subs" --out "$work/out-$side-$round" -q \
      >"$work/$side-$round.log" 2>&1
    read -r wall user sys <"$work/time"
    per=$(echo "$wall / $copies" | bc -l)
    cpu=$(echo "($user + $sys) / $copies" | bc -l)
    full=$(grep -c "200/200" "$work/$side-$round.log" || true)
    printf '%-12s round %d: %5.1f s per submission, %5.1f s of CPU each (%d at 200/200; load before %s)\n' \
      "${revs[$side]}" "$round" "$per" "$cpu" "$full" "$load"
    times[$side]+="$per "
  done
done
summary() {
  sort -n | awk '{a[NR]=$1} END {printf "min %.1f, median %.1f, max %.1f s per submission", a[1], a[int((NR+1)/2)], a[NR]}'
}
for side in 0 1; do
  printf '%-12s %s\n' "${revs[$side]}" "$(tr ' ' '\n' <<<"${times[$side]}" | grep . | summary)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
