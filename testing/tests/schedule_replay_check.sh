#!/usr/bin/env bash
# Seeded schedules from the test program's side: some seed among the first
# twenty makes the timing bet of order_bet_program fail; that seed fails again,
# with the same output, when run again; the failure names the test case, the
# seed to replay it with and the last scheduling decisions; and a seed that
# passes passes again.
# usage: schedule_replay_check.sh PROGRAM
set -uo pipefail
program="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
failing="" passing=""
for seed in $(seq 1 20); do
  GOC_SCHEDULE="random:$seed" timeout 60 "$program" >"$work/$seed.out" 2>&1
  status=$?
  case $status in
    0) passing="${passing:-$seed}" ;;
    1) failing="${failing:-$seed}" ;;
    *) cat "$work/$seed.out"; fail "seed $seed: exit status $status (expected 0 or 1)" ;;
  esac
done
[[ -n $failing ]] || fail "no seed of 1..20 made the timing bet fail"
[[ -n $passing ]] || fail "no seed of 1..20 let the timing bet pass"
out="$work/$failing.out"
grep -q 'test case "the first goroutine started sends first" failed under a seeded schedule: GOC_SCHEDULE=random:'"$failing " "$out" ||
  { cat "$out"; fail "the failure does not name the test case and its seed"; }
grep -q 'last scheduling decisions, oldest first:' "$out" || fail "no scheduling decisions"
grep -Eq '^  g[0-9]+ send [0-9]+ on c[0-9]+ \(made at order_bet_program.cpp:[0-9]+\) \(.*order_bet_program.cpp:[0-9]+\)' "$out" ||
  { cat "$out"; fail "the decisions do not show the sends with their value and channel"; }
for seed in $failing $passing; do
  GOC_SCHEDULE="random:$seed" timeout 60 "$program" >"$work/again.out" 2>&1
  cmp -s "$work/$seed.out" "$work/again.out" || { diff "$work/$seed.out" "$work/again.out"; fail "seed $seed did not replay the same run"; }
done
echo "ok: seed $failing fails on every run (seed $passing passes), with its replay line and decisions"
