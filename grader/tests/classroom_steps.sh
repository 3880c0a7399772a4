#!/usr/bin/env bash
# GitHub Classroom's autograding, replayed on this machine.
#
# Releases the course into a fresh git repository (what a runner checks out of
# a student's repository), puts the reference solutions in place, and runs the
# steps of the release's own .github/workflows/classroom.yml (read from the
# file, not re-typed) the way classroom-resources/autograding-command-grader@v1
# runs them: Node's execSync, that is `/bin/sh -c COMMAND` in the checkout,
# `setup-command` first when it is not empty, each with an environment of only
# PATH, HOME, FORCE_COLOR=true and two .NET variables, killed after the step's
# `timeout` minutes; exit 0 passes, anything else fails. It also checks that
# the reporter finds every step's result: it reads the variable
# `<runner>.trim().toUpperCase() + "_RESULTS"`.
#
# usage: classroom_steps.sh GRADER COURSE_ROOT WORK [ci|all]
#   ci   (the default; what CTest runs: grader_release_classroom_steps_pass_with_solutions_and_fail_on_skeletons): the
#        first step cold (it builds the grader and the runtime in both presets,
#        like a fresh runner) and must end within its timeout, then the first
#        exercise of the last lesson with its solution, then the first
#        exercise on its skeleton, which must fail.
#   all  every step with its solution, then every step on its skeleton; an
#        instructor's check after changing exercises or the workflow (about
#        20 minutes on a busy 2-core machine: grader/README.md, "GitHub Classroom").
# Each step's time is printed; the release is HEAD's committed content
# (--allow-dirty: uncommitted changes are left out, not refused).
set -euo pipefail
grader="$1" root="$2" work="$3" mode="${4:-ci}"
[[ "$mode" == ci || "$mode" == all ]] || { echo "usage: $0 GRADER COURSE_ROOT WORK [ci|all]" >&2; exit 2; }
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$work"
mkdir -p "$work"
release="$work/release"
"$grader" --root "$root" release "$release" --allow-dirty > "$work/release.txt" 2>&1 ||
  { cat "$work/release.txt"; fail "release failed"; }
git -C "$release" init -q
git -C "$release" add -A
git -C "$release" -c user.name=student -c user.email=student@example.com commit -q -m "Course"
workflow="$release/.github/workflows/classroom.yml"
[[ -f "$workflow" ]] || fail "the release has no .github/workflows/classroom.yml"

# One line per command-grader step, fields separated by \x1f (not a tab: read
# would merge the tabs around an empty setup-command): id, setup-command, command,
# timeout, max-score. Reads the block layout classroom_workflow() writes;
# single-quoted YAML scalars are unquoted ('' is a quote).
command_grader_steps() {
  awk '
    function unquote(v) {
      if (v ~ /^\x27.*\x27$/) { v = substr(v, 2, length(v) - 2); gsub(/\x27\x27/, "\x27", v) }
      return v
    }
    function value(line) { sub(/^[^:]*: */, "", line); return unquote(line) }
    function flush() {
      if (uses ~ /autograding-command-grader@/) print id "\x1f" setup "\x1f" cmd "\x1f" minutes "\x1f" score
      id = ""; uses = ""; setup = ""; cmd = ""; minutes = "10"; score = "0"
    }
    /^    - / { flush() }
    /^ +id: /            { id = value($0) }
    /^ +uses: /          { uses = value($0) }
    /^ +setup-command: / { setup = value($0) }
    /^ +command: /       { cmd = value($0) }
    /^ +timeout: /       { minutes = value($0) }
    /^ +max-score: /     { score = value($0) }
    END { flush() }' "$workflow"
}
mapfile -t steps < <(command_grader_steps)
exercises=$(grep -c '^\[\[exercise\]\]' "$release/exercises/manifest.toml")
[[ ${#steps[@]} -eq $exercises ]] || fail "${#steps[@]} command-grader steps for $exercises exercises"

# The reporter: every runner's variable, as the reporter computes its name,
# holds that step's result; the runners are the steps, in order; and the list
# matches the pattern the reporter's error path expects (else a real error is
# reported as "The runners input must be a comma-separated list of strings").
runners=$(sed -n 's/^ *runners: *//p' "$workflow")
[[ "$runners" =~ ^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$ ]] || fail "runners '$runners' is not letters and digits separated by commas"
ids=()
for step in "${steps[@]}"; do ids+=("${step%%$'\x1f'*}"); done
[[ "$runners" == "$(IFS=,; echo "${ids[*]}")" ]] || fail "runners '$runners' are not the step ids ${ids[*]}"
IFS=, read -ra runner_list <<<"$runners"
for runner in "${runner_list[@]}"; do
  trimmed=$(echo "$runner" | sed 's/^ *//; s/ *$//')
  variable="$(echo "$trimmed" | tr '[:lower:]' '[:upper:]')_RESULTS"
  grep -qxF "        $variable: \"\${{steps.$runner.outputs.result}}\"" "$workflow" ||
    fail "the reporter reads $variable for runner $runner, and the workflow's env does not set it from steps.$runner"
done
echo "reporter: ${#runner_list[@]} runners, each with its ${runner_list[0]^^}_RESULTS-style variable"

elapsed_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# Runs one of the workflow's commands as the command grader would.
run_as_command_grader() {  # MINUTES COMMAND
  (cd "$release" && env -i PATH="$PATH" HOME="$HOME" FORCE_COLOR=true DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=true \
    timeout "${1}m" sh -c "$2")
}

# run_step INDEX EXPECT(pass|fail): runs step INDEX, checks its exit status and
# that its log is legible in the Actions log (colour codes, nothing else).
run_step() {
  local id setup cmd minutes score status=0 start log
  IFS=$'\x1f' read -r id setup cmd minutes score <<<"${steps[$1]}"
  log="$work/$id-$2.log"
  start=$EPOCHREALTIME
  if [[ -n "$setup" ]]; then run_as_command_grader "$minutes" "$setup" > "$log" 2>&1 || status=$?; fi
  [[ $status -ne 0 ]] || run_as_command_grader "$minutes" "$cmd" >> "$log" 2>&1 || status=$?
  local seconds; seconds=$(elapsed_since "$start")
  printf '%-8s %-4s %-45s exit %3d  %6.1f s (timeout %s min, %s points)\n' "$id" "$2" "$cmd" "$status" "$seconds" "$minutes" "$score"
  [[ $status -ne 124 ]] || { tail -n 30 "$log"; fail "$id ran out of its $minutes minutes"; }
  if [[ $2 == pass && $status -ne 0 ]]; then tail -n 60 "$log"; fail "$id fails with the solution in place"; fi
  if [[ $2 == fail && $status -eq 0 ]]; then tail -n 60 "$log"; fail "$id passes on the skeleton"; fi
  if grep -qP '\x1b(?!\[[0-9;]*m)|\r' "$log"; then
    grep -nP '\x1b(?!\[[0-9;]*m)|\r' "$log" | head -n 5 | cat -v
    fail "$id's log holds control codes other than colours (cursor moves, carriage returns)"
  fi
}

# The exercise folder of step INDEX: its command's last word.
exercise_of() { local cmd; IFS=$'\x1f' read -r _ _ cmd _ <<<"${steps[$1]}"; echo "${cmd##* }"; }

cp -R "$root/solutions/." "$release/exercises/"
if [[ $mode == all ]]; then
  chosen=("${!steps[@]}")
  skeletons=("${!steps[@]}")
else
  # The first step (cold) and the first exercise of the last lesson (warm,
  # the largest programs); every step has the same shape, and `all` runs them all.
  last=$(exercise_of "$(( ${#steps[@]} - 1 ))"); last="${last%%/*}"
  chosen=(0)
  for i in "${!steps[@]}"; do
    lesson=$(exercise_of "$i")
    if [[ "${lesson%%/*}" == "$last" ]]; then chosen+=("$i"); break; fi
  done
  skeletons=(0)
fi
total_start=$EPOCHREALTIME
for i in "${chosen[@]}"; do run_step "$i" pass; done
for i in "${skeletons[@]}"; do
  git -C "$release" checkout -q -- "exercises/$(exercise_of "$i")"
  run_step "$i" fail
done
printf 'PASS: %d steps with solutions, %d on skeletons, %.0f s in all\n' \
  "${#chosen[@]}" "${#skeletons[@]}" "$(elapsed_since "$total_start")"
