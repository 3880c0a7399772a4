#!/usr/bin/env bash
# `./course trace EXAMPLE --seed N` runs a lesson example with GOC_TRACE and
# draws it: trace.json (the runtime's trace, under that schedule) and
# trace.html (its timeline) in the folder it names, with one lane per
# goroutine of the JSON; a name of nothing is refused with a suggestion.
# (That a seed replays the same trace is the runtime's test, tests/trace/.)
#   course_trace.sh GRADER ROOT BUILD_DIR
set -euo pipefail
grader=$1 root=$2 build=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
trace=("$grader" --root "$root" trace --build-plain "$build")

"${trace[@]}" done-broadcast --seed 1 --out "$work/t1" >"$work/out1" 2>"$work/err1" ||
  fail "trace exited with $?: $(cat "$work/err1" "$work/out1")"
out=$work/out1
grep -q "^  timeline:  $work/t1/trace.html$" "$out" || fail "no timeline path: $(cat "$out")"
grep -q "open file://$work/t1/trace.html" "$out" || fail "no file:// address: $(cat "$out")"
grep -q "ui.perfetto.dev" "$out" || fail "no word on opening the JSON: $(cat "$out")"
python3 - "$work/t1/trace.json" "$work/t1/trace.html" <<'PY' || fail "the page does not match its trace"
import json, re, sys
trace = json.load(open(sys.argv[1]))
page = open(sys.argv[2]).read()
tids = {e["tid"] for e in trace["traceEvents"] if e.get("ph") == "M" and e.get("name") == "thread_name"}
lanes = len(re.findall(r'<g class="lane[ "]', page))
assert len(tids) >= 2 and lanes == len(tids), (tids, lanes)
assert trace["otherData"]["schedule"] == "random:1", trace["otherData"]
PY

if "${trace[@]}" done-brodcast >"$work/typo" 2>&1; then fail "a misspelt name was traced"; fi
grep -q "Did you mean 03-select/04-done-broadcast?" "$work/typo" || fail "no suggestion: $(cat "$work/typo")"
echo "ok: trace draws a lesson example under a seed, and refuses a typo"
