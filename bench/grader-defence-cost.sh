#!/usr/bin/env bash
# What the grader's defences (issue 15: symbol check, report pipe, mount
# namespace, memory watch, host-wide uids) cost per submission: grade-all of
# COPIES copies of solutions/ with the grader of BASELINE (a commit before
# them) and of this tree, alternating, ROUNDS times, in one run on one machine.
#
#   bench/grader-defence-cost.sh [BASELINE] [COPIES] [ROUNDS]
#
# Defaults: 0df2a52 (the last commit before the defences), 4 copies, 3 rounds.
# Both trees are graded with warm caches (each is warmed first). Prints each
# run with the load average before it, then min / median / max per side.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
baseline=${1:-0df2a52}
copies=${2:-4}
rounds=${3:-3}
work=$(mktemp -d /tmp/goc-defence-cost-XXXXXX)
chmod 755 "$work"
trap 'git -C "$here" worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/baseline" "$baseline"
for c in $(seq 1 "$copies"); do cp -r solutions "$work/subs-copy$c"; done
mkdir -p "$work/subs" && mv "$work"/subs-copy* "$work/subs/"
chmod -R o+rX "$work"

echo "Warming both trees (builds each grader and its instructor caches) ..."
(cd "$work/baseline" && ./course grade solutions -q >/dev/null)
./course grade solutions -q >/dev/null

declare -A times
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    tree=$here
    [[ $side == before ]] && tree=$work/baseline
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    "$tree/build/plain/grader/goc-grader" --root "$tree" grade-all "$work/subs" --out "$work/out-$side-$round" -q \
      >"$work/$side-$round.log" 2>&1
    end=$(date +%s.%N)
    per=$(echo "($end - $start) / $copies" | bc -l)
    full=$(grep -c "200/200" "$work/$side-$round.log" || true)
    printf '%-6s round %d: %6.1f s per submission (%d at 200/200; load before %s)\n' "$side" "$round" "$per" "$full" "$load"
    times[$side]+="$per "
  done
done
summary() {
  sort -n | awk '{a[NR]=$1} END {printf "min %.1f, median %.1f, max %.1f s", a[1], a[int((NR+1)/2)], a[NR]}'
}
for side in before after; do
  printf '%-6s %s\n' "$side" "$(tr ' ' '\n' <<<"${times[$side]}" | grep . | summary)"
done
b=$(tr ' ' '\n' <<<"${times[before]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
a=$(tr ' ' '\n' <<<"${times[after]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median cost of the defences: %+.1f%%\n' "$(echo "($a / $b - 1) * 100" | bc -l)"
