#!/usr/bin/env bash
# A release cut from an instructor's messy working tree holds the last commit
# and nothing else, and is a student's repository.
#
# In a clone of the course: an untracked TA-notes file, an untracked folder of
# student submissions, and the first exercise's skeleton overwritten with its
# reference solution. Then: `release` refuses and says what differs and what
# to do; `release --allow-dirty` leaves all three out (skeleton and
# .course-skeletons copy as HEAD has them), ships no instructor document,
# `./course help` there lists no instructor command and refuses one when run,
# the README leads to the lessons and `./course docs`, and no file mentions
# solutions/, hidden/ or wrong answers. The Gradescope package of the same
# tree is refused too, and with --allow-dirty holds HEAD without the two
# untracked files.
#
# usage: release_from_git.sh GRADER COURSE_ROOT WORK
set -euo pipefail
grader="$1" root="$2" work="$3"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
course="$work/course" release="$work/release"
git clone -q "$root" "$course"

# The first exercise in the manifest and its first student file.
id=$(sed -n 's/^id = "\(.*\)"/\1/p' "$course/exercises/manifest.toml" | head -n 1)
file=$(sed -n 's/^student_files = \["\([^"]*\)".*/\1/p' "$course/exercises/manifest.toml" | head -n 1)
skeleton="exercises/$id/$file"
echo "Notes for TAs: the answer to $id is in solutions/." > "$course/ta-notes.md"
mkdir -p "$course/submissions/alice"
cp "$course/solutions/$id/$file" "$course/submissions/alice/$file"
cp "$course/solutions/$id/$file" "$course/$skeleton"

# Refused, saying what differs and how to go on; nothing written.
status=0
"$grader" --root "$course" release "$release" > "$work/refused.txt" 2>&1 || status=$?
cat "$work/refused.txt"
[[ $status -ne 0 ]] || fail "release of a tree with a changed skeleton went ahead"
for says in "uncommitted" "modified: $skeleton" "--allow-dirty" "git stash"; do
  grep -qF -- "$says" "$work/refused.txt" || fail "the refusal does not say '$says'"
done
[[ ! -e "$release" ]] || fail "the refused release wrote $release"

"$grader" --root "$course" release "$release" --allow-dirty > "$work/released.txt" 2>&1 ||
  { cat "$work/released.txt"; fail "release --allow-dirty failed"; }
cd "$release"

# The last commit, nothing else.
for gone in ta-notes.md submissions; do [[ ! -e $gone ]] || fail "the untracked $gone is in the release"; done
git -C "$course" show "HEAD:$skeleton" > "$work/head-skeleton"
cmp -s "$skeleton" "$work/head-skeleton" || fail "$skeleton is not HEAD's skeleton"
cmp -s ".course-skeletons/$id/$file" "$work/head-skeleton" || fail ".course-skeletons/$id/$file is not HEAD's skeleton"

# No instructor material.
for gone in solutions hidden tests grader/tests .ci COURSE-OVERVIEW.md docs/pages/instructor-guide.md \
            exercises/FRAMEWORK.md grader/README.md bench/grader-defence-cost.sh \
            bench/grader-compiler-cost.sh bench/grader-ab.sh bench/grader-cpu-by-command.sh \
            bench/grade-all-rounds.sh; do
  [[ ! -e $gone ]] || fail "the release contains the instructor's $gone"
done
./course help > "$work/help.txt"
grep -qF "check [EXERCISE]" "$work/help.txt" || fail "./course help does not list check"
if grep -nE "Instructors|^ +(grade|grade-all|release|package) " "$work/help.txt"; then fail "./course help lists instructor commands"; fi
status=0
./course grade-all submissions > "$work/grade-all.txt" 2>&1 || status=$?
[[ $status -ne 0 ]] && grep -qF "for the course's instructors" "$work/grade-all.txt" ||
  { cat "$work/grade-all.txt"; fail "./course grade-all in the release is not refused with a reason"; }

# A student's README.
grep -qF "lessons/" README.md || fail "the README does not lead to lessons/"
grep -qF "./course docs" README.md || fail "the README does not mention ./course docs"

# No mention of the instructor's files. The grader's source and the exercises'
# CMake code are exempt: `./course check` builds them, and they name those
# folders only as places the instructor's copy has.
if grep -rnIiE "solutions/|hidden/|wrong.answer" . --exclude-dir=.git \
     | grep -vE "^\./(grader/src|exercises/cmake)/" > "$work/mentions.txt"; then
  cat "$work/mentions.txt"; fail "files of the release mention solutions/, hidden/ or wrong answers"
fi

# The Gradescope package is cut from HEAD the same way: refused while the
# skeleton differs, and with --allow-dirty it holds neither untracked file.
cd "$work"
status=0
"$grader" --root "$course" package gradescope "$work/autograder.zip" --only "$id" > "$work/package-refused.txt" 2>&1 ||
  status=$?
[[ $status -ne 0 ]] && grep -qF "modified: $skeleton" "$work/package-refused.txt" ||
  { cat "$work/package-refused.txt"; fail "package of a tree with a changed skeleton was not refused with the file named"; }
"$grader" --root "$course" package gradescope "$work/autograder.zip" --only "$id" --allow-dirty \
  > "$work/packaged.txt" 2>&1 || { cat "$work/packaged.txt"; fail "package --allow-dirty failed"; }
unzip -q "$work/autograder.zip" -d "$work/package"
for gone in ta-notes.md submissions; do
  [[ ! -e "$work/package/course/$gone" ]] || fail "the untracked $gone is in the Gradescope package"
done
cmp -s "$work/package/course/$skeleton" "$work/head-skeleton" || fail "the package's $skeleton is not HEAD's"
[[ -f "$work/package/course/solutions/$id/$file" ]] || fail "the package lacks the reference solution setup.sh grades"
echo "PASS: the release and the Gradescope package of a dirty tree are HEAD's"
