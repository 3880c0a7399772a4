#!/usr/bin/env bash
# Times `./course check 01-goroutines/01-wait-dont-sleep` for each kind of
# answer a student may have in wait.cpp (the README's table of how soon check
# reports each): the skeleton, a compile error, a wrong answer, a race, a
# deadlock and a hang. Both presets are built once before each timed run.
# Puts the student's own wait.cpp back at the end.
# usage: tests/check-times/measure.sh   (from the course root)
set -u
cd "$(dirname "$0")/../.."
here=tests/check-times
ex=01-goroutines/01-wait-dont-sleep
file=exercises/$ex/wait.cpp
wrong=tests/wrong-answers/$ex
saved="$(mktemp)"
cp "$file" "$saved"
trap 'cp "$saved" "$file"; rm -f "$saved"' EXIT
answer() {
  case $1 in
    skeleton) git show "HEAD:$file" ;;
    wrong-answer) cat "$wrong/run-inline/wait.cpp" ;;
    race) cat "$wrong/spin-on-volatile-flag/wait.cpp" ;;
    *) cat "$here/$1.cpp" ;;
  esac
}
for kind in skeleton compile-error wrong-answer race deadlock hang; do
  answer "$kind" >"$file"
  ./course check "$ex" >/dev/null 2>&1  # builds what changed, untimed
  start=$(date +%s.%N)
  ./course check "$ex" >"/tmp/check-$kind.out" 2>&1
  end=$(date +%s.%N)
  printf "%-14s %5.1f s   (output: /tmp/check-%s.out)\n" "$kind" "$(echo "$end - $start" | bc)" "$kind"
done
