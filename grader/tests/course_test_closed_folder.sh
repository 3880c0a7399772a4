#!/usr/bin/env bash
# `./course test` as root in a clone that the user nobody cannot reach (a
# mktemp -d folder) stops at once and names the closed folder, instead of
# failing the grader's sandbox tests after the build; once the folder is
# open, the check lets it go on.
#   course_test_closed_folder.sh ROOT   (exits 77, skipped, unless root)
set -euo pipefail
root=$1
[[ $EUID -eq 0 ]] && command -v runuser >/dev/null || { echo "skipped: needs root and runuser"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)  # mode 700: closed to others
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/course/exercises"
cp "$root/course" "$work/course/course"
echo '# a manifest' >"$work/course/exercises/manifest.toml"

status=0
"$work/course/course" test >"$work/out" 2>&1 || status=$?
[[ $status == 2 ]] || fail "course test in a closed folder exited with $status: $(cat "$work/out")"
grep -q "cannot reach $work/course/exercises/manifest.toml" "$work/out" || fail "no reason given: $(cat "$work/out")"
grep -q "Folders others cannot enter: $work\$" "$work/out" || fail "the closed folder is not named: $(cat "$work/out")"

chmod o+x "$work"
# shellcheck source=/dev/null
(source "$work/course/course" && check_nobody_reaches_course) >"$work/out2" 2>&1 ||
  fail "the check still refuses once the folder is open: $(cat "$work/out2")"
echo "ok: a closed clone is refused up front and named; an open one passes"
