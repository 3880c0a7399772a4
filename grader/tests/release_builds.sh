#!/usr/bin/env bash
# Releases the course, then in the released tree: configure, build the first
# exercise, and check that `check` fails on the skeleton and passes once the
# reference solution is put in place.
set -euo pipefail
grader="$1" root="$2" work="$3"
rm -rf "$work"
mkdir -p "$work"
"$grader" --root "$root" release "$work/release"
cd "$work/release"
for gone in solutions hidden tests/wrong-answers grader/tests; do
  if [[ -e "$gone" ]]; then echo "FAIL: the release contains $gone"; exit 1; fi
done
test -f .github/workflows/classroom.yml || { echo "FAIL: no classroom.yml"; exit 1; }

# The first exercise in the manifest and its first student file.
id=$(sed -n 's/^id = "\(.*\)"/\1/p' exercises/manifest.toml | head -n 1)
file=$(sed -n 's/^student_files = \["\([^"]*\)".*/\1/p' exercises/manifest.toml | head -n 1)
echo "checking $id ($file) in the released tree"

status=0
"$grader" --root . check "$id" --no-race --build-plain "$work/build-plain" > "$work/skeleton.txt" 2>&1 || status=$?
cat "$work/skeleton.txt"
if [[ $status -ne 1 ]] || ! grep -q "failing" "$work/skeleton.txt"; then
  echo "FAIL: check of the skeleton should fail (status 1), got $status"; exit 1
fi
cp "$root/solutions/$id/$file" "exercises/$id/$file"
"$grader" --root . check "$id" --no-race --build-plain "$work/build-plain" > "$work/solution.txt" 2>&1 || {
  cat "$work/solution.txt"; echo "FAIL: check of the solution should pass"; exit 1; }
cat "$work/solution.txt"
grep -q "done" "$work/solution.txt" || { echo "FAIL: the table does not say done"; exit 1; }
echo "PASS: the released tree builds and check tells the skeleton from the solution"
