#!/usr/bin/env bash
# check_cost.sh [BUILD_DIR]: what the schedules cost the plain wrong-answer
# checks. Runs every `*_wrong_*_rejected` test of BUILD_DIR (default
# build/plain, built) one at a time, as CTest would (public program, under
# the fixed schedules), and then the same wrong answer the way the
# check ran before schedules (public, then hidden, free only), and prints the
# seconds of each and the totals. Run it on an otherwise idle machine.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build/plain}" && pwd)"
runner="$root/exercises/cmake/expect_failure.sh"
seconds() { local s=$EPOCHREALTIME; "$@" > /dev/null 2>&1; local rc=$?; echo "$(echo "$EPOCHREALTIME - $s" | bc) $rc"; }
total_new=0 total_old=0 failed=0
while read -r name; do
  key="${name%_rejected}"
  mapfile -t command < <(cd "$build" && ctest -N -V -R "^${name}\$" | sed -n 's/.*Test command: //p' |
                           xargs -n1 printf '%s\n')
  read -r t_new rc_new < <(seconds "${command[@]}")
  read -r t_old _ < <(seconds bash "$runner" --limit 25 -- "$build/exercises/${key}_public" \
                         "$build/exercises/${key}_hidden")
  printf '%-75s now %6.2f s%s   before %6.2f s\n' "$name" "$t_new" \
         "$([[ $rc_new -ne 0 ]] && echo ' (CHECK FAILED)')" "$t_old"
  [[ $rc_new -ne 0 ]] && failed=$((failed + 1))
  total_new=$(echo "$total_new + $t_new" | bc)
  total_old=$(echo "$total_old + $t_old" | bc)
done < <(cd "$build" && ctest -N -L wrong-answer | sed -n 's/.*Test *#[0-9]*: \(.*_wrong_.*_rejected\)$/\1/p')
echo "total: now $total_new s, before $total_old s (one at a time); checks failing now: $failed"
