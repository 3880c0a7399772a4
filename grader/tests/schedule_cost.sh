#!/usr/bin/env bash
# What the seeded schedules cost per exercise: each exercise's plain test
# program, as `grade --keep-work` linked it, runs all its test cases once
# without a schedule and once under each of the first N fixed schedules
# (the set of src/run/schedules.cpp), and the CPU (user + system) of each is
# printed. Usage, from the course root:
#   build/plain/grader/goc-grader --root . grade solutions --keep-work --out /tmp/g
#   bash grader/tests/schedule_cost.sh build/grader-work/solutions-* [N (default 4)]
set -euo pipefail
work="$1" count="${2:-4}"
schedules=()
for ((i = 1; i <= count; i++)); do
  if ((i % 2)); then schedules+=("random:$(((i + 1) / 2))")
  else k=$((i / 2)); schedules+=("pct:$k:$((k % 2 ? 2 : 3))"); fi
done
times="$(mktemp)"
trap 'rm -f "$times"' EXIT
cpu() {  # SCHEDULE PROGRAM: prints "SECONDS ok|FAIL"
  local status=0
  GOC_SCHEDULE="$1" /usr/bin/time -f '%U %S' -o "$times" "$2" >/dev/null 2>&1 || status=$?
  awk -v s="$status" '{ t = $1 + $2 } END { printf "%.2f %s", t, (s == 0 ? "ok" : "FAIL") }' "$times"
}
printf '%-12s %-10s %s\n' exercise plain "under ${schedules[*]}: CPU s each, and the sum"
total=0
for program in "$work"/build/plain/ex_*/ex_*_student_tests; do
  name="$(basename "$(dirname "$program")")"
  line="$(cpu '' "$program")"
  sum=0 each=""
  for s in "${schedules[@]}"; do
    r="$(cpu "$s" "$program")"
    each+=" $r"
    sum="$(awk -v a="$sum" -v b="${r%% *}" 'BEGIN { printf "%.2f", a + b }')"
  done
  total="$(awk -v a="$total" -v b="$sum" 'BEGIN { printf "%.2f", a + b }')"
  printf '%-12s %-10s%s  sum %s\n' "$name" "$line" "$each" "$sum"
done
echo "all exercises under the schedules: $total s of CPU"
