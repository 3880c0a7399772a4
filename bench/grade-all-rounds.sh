# Shared by the grader benchmarks that time grade-all in rounds
# (grader-ab.sh, grader-compiler-cost.sh): source it, then
#   make_copies DIR COPIES           COPIES copies of solutions/ as submissions in DIR
#   time_round LABEL ROUND LOG CMD.. runs CMD (a grade-all of COPIES submissions),
#                                    prints wall and CPU per submission, how many
#                                    scored 200/200 and the load before; keeps the time
#   print_spread LABEL..             min / median / max of each label's rounds
# `copies` and `work` must be set by the caller.
declare -A round_times

make_copies() {
  for c in $(seq 1 "$2"); do
    mkdir -p "$1/s$c"
    cp -r solutions "$1/s$c/exercises"
  done
  chmod -R o+rX "$1"
}

time_round() {
  local label=$1 round=$2 log=$3
  shift 3
  local load wall user sys per cpu full
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$log" 2>&1
  read -r wall user sys <"$work/time"
  per=$(echo "$wall / $copies" | bc -l)
  cpu=$(echo "($user + $sys) / $copies" | bc -l)
  full=$(grep -c "200/200" "$log" || true)
  printf '%-14s round %d: %5.1f s per submission, %5.1f s of CPU each (%d at 200/200; load before %s)\n' \
    "$label" "$round" "$per" "$cpu" "$full" "$load"
  round_times[$label]+="$per "
}

print_spread() {
  local label
  for label in "$@"; do
    printf '%-14s %s\n' "$label" "$(tr ' ' '\n' <<<"${round_times[$label]}" | grep . | sort -n |
      awk '{a[NR]=$1} END {printf "min %.1f, median %.1f, max %.1f s per submission", a[1], a[int((NR+1)/2)], a[NR]}')"
  done
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
