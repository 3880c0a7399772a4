#!/usr/bin/env bash
# The "must fail" runner's rules (exercises/cmake/expect_failure.sh), checked
# with stand-in programs: small scripts that pass or fail depending on
# GOC_SCHEDULE, and log each run, so that no course program needs building.
#   - With --schedules only the seeded runs count: a program that fails only
#     without a schedule (timing luck, as far as the runner can tell) is not
#     rejected, and the message says so.
#   - Without --schedules the free run counts (skeletons, the tsan preset).
#   - A seeded failure counts when its replay fails the same way, and the
#     free run is then never started.
#   - A seeded failure that does not replay fails the check.
set -uo pipefail
runner="$(cd "$(dirname "$0")/../.." && pwd)/exercises/cmake/expect_failure.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# stand_in NAME BODY: a program that logs "run <GOC_SCHEDULE or free>" to
# $work/NAME.log, then runs BODY (bash, with $spec set).
stand_in() {
  cat > "$work/$1" <<EOF
#!/usr/bin/env bash
spec="\${GOC_SCHEDULE:-free}"
echo "run \$spec" >> "$work/$1.log"
$2
EOF
  chmod +x "$work/$1"
}
stand_in fails-only-free '[[ $spec == free ]] && { echo "REQUIRE( total == 16000 ) FAILED"; exit 1; }; exit 0'
stand_in fails-under-pct '[[ $spec == pct:1:2 ]] && { echo "fatal error: lost an update"; exit 1; }; exit 0'
stand_in fails-once-under-random '[[ $spec == random:1 && ! -e "$0.failed" ]] && { touch "$0.failed"; exit 1; }; exit 0'
stand_in always-passes 'exit 0'

# check NAME WANT_STATUS PATTERN ARGS...: runs the runner with ARGS; its exit
# status must be WANT_STATUS and its output must hold PATTERN (grep -E).
check() {
  local name="$1" want="$2" pattern="$3"
  shift 3
  local out rc
  out="$(bash "$runner" --limit 10 "$@" 2>&1)"
  rc=$?
  if [[ $rc -ne $want ]]; then
    fail "$name: exit status $rc, expected $want"
    echo "$out" | sed 's/^/    | /'
  elif ! grep -qE "$pattern" <<<"$out"; then
    fail "$name: the output does not say /$pattern/"
    echo "$out" | sed 's/^/    | /'
  else
    echo "ok: $name"
  fi
}

schedules="random:1 pct:1:2 random:2"
check "a failure only without a schedule does not count when schedules are given" 1 \
  "failed: exit status 1, but no seeded schedule failed it" \
  --schedules "$schedules" -- "$work/fails-only-free"
check "... and the message says it depends on timing" 1 "luckier run" \
  --schedules "$schedules" -- "$work/fails-only-free"
check "without schedules the free run's failure counts" 0 "fails-only-free: failed: exit status 1 \(expected\)" \
  -- "$work/fails-only-free"
rm -f "$work/fails-under-pct.log"
check "a seeded failure that replays counts" 0 \
  "replayed with the same schedule: failed the same way \(fatal error: lost an update\)" \
  --schedules "$schedules" -- "$work/fails-under-pct"
if grep -q "run free" "$work/fails-under-pct.log"; then
  fail "the free run was started although a seeded run failed"
fi
if [[ "$(cat "$work/fails-under-pct.log")" != $'run random:1\nrun pct:1:2\nrun pct:1:2' ]]; then
  fail "the runs were not: random:1, then pct:1:2 and its replay; they were: $(tr '\n' ' ' < "$work/fails-under-pct.log")"
fi
check "a seeded failure that does not replay fails the check" 1 "the failure is not" \
  --schedules "$schedules" -- "$work/fails-once-under-random"
check "a program that always passes fails the check" 1 "this code would get full marks" \
  --schedules "$schedules" -- "$work/always-passes"
exit $status
