#!/usr/bin/env bash
# The course script's build progress (it builds the grader before the grader
# can show anything): on a pipe one plain line per compiled or linked file,
# counted against the dry run's total; on a terminal one line redrawn in place
# with a bar and erased at the end. `script` gives the terminal.
#   course_progress.sh ROOT
set -euo pipefail
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
build_output='-- Detecting CXX compiler ABI info
[  0%] Building CXX object runtime/a.o
a.cpp:1:1: warning: unused variable
[ 50%] Built target goc_runtime
[100%] Linking CXX executable goc-grader'

# shellcheck source=/dev/null
piped=$(source "$root/course" && printf '%s\n' "$build_output" | show_build_progress 2 "$work/log" 2>&1 >/dev/null)
expected='[1/2] Building CXX object runtime/a.o
[2/2] Linking CXX executable goc-grader'
[[ "$piped" == "$expected" ]] || fail "piped progress is not one line a step: $piped"
cmp -s "$work/log" <(printf '%s\n' "$build_output") || fail "the build's output was not kept whole for its errors"

ninja=$(source "$root/course" && printf '[3/80] Building CXX object a.o\n' | show_build_progress 0 "$work/log2" 2>&1)
[[ "$ninja" == "[3/80] Building CXX object a.o" ]] || fail "ninja's count is not used: $ninja"

steps=$(source "$root/course" && printf '%s\n' \
  '/usr/bin/cmake -E cmake_echo_color --green --progress-num=1 "Building CXX object a.o"' 'g++ -c a.cpp' \
  '/usr/bin/cmake -E cmake_echo_color --bold "Linking CXX executable b"' | count_dry_run_steps)
[[ "$steps" == 2 ]] || fail "a make dry run of two steps counts $steps"

printf '%s\n' "$build_output" >"$work/input"
TERM=xterm script -qec "bash -c 'source \"$root/course\"; show_build_progress 4 \"$work/log3\" <\"$work/input\"'" \
  /dev/null >"$work/tty"
grep -q $'\r\033\\[K\\[#####...............\\]  25%  1/4  Building CXX object runtime/a.o' "$work/tty" ||
  fail "no bar on a terminal: $(cat -A "$work/tty")"
[[ "$(tail -c 4 "$work/tty" | od -An -c | tr -d ' ')" == '\r033[K' ]] || fail "the bar is not erased at the end: $(cat -A "$work/tty")"
echo "ok: progress lines on a pipe, a bar on a terminal"
