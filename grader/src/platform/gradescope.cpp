#include "gradescope.hpp"

#include <iostream>

#include "process.hpp"
#include "tree_copy.hpp"

namespace grader {

void package_gradescope(const fs::path& course_root, const fs::path& zip_arg) {
  fs::path root = fs::absolute(course_root).lexically_normal();
  fs::path zip_path = fs::absolute(zip_arg).lexically_normal();
  if (zip_path.extension() != ".zip") throw UserError("the package must be a .zip file");
  load_manifest(root / "exercises" / "manifest.toml");  // refuse to package an invalid course
  char tmpl[] = "/tmp/goc-package-XXXXXX";
  if (!mkdtemp(tmpl)) throw UserError("cannot create a scratch folder in /tmp");
  fs::path stage = tmpl;
  copy_filtered(root, stage / "course",
                {".git", "build", "tests/wrong-answers", "grader/tests", ".course-progress.toml", ".progress", ".ci"});
  write_file(stage / "setup.sh", R"SH(#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euxo pipefail
cd /autograder/source/course
export DEBIAN_FRONTEND=noninteractive
apt-get update
./course setup
cmake -S . -B build/plain -DCMAKE_BUILD_TYPE=Debug
cmake --build build/plain -j"$(nproc)" --target goc_grader
# Warm the instructor caches by grading the reference solutions (they must get
# full marks), then keep the solutions away from student code.
./build/plain/grader/goc-grader --root . grade solutions --out /tmp/warm-up -j "$(nproc)"
rm -rf solutions
chmod -R go-rwx hidden
)SH");
  write_file(stage / "run_autograder", R"SH(#!/usr/bin/env bash
# Gradescope runs this for every submission. It always writes results.json,
# even when grading itself fails. Paths can be overridden for tests.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
COURSE="${GOC_COURSE_ROOT:-$ROOT/source/course}"
GRADER="${GOC_GRADER:-$COURSE/build/plain/grader/goc-grader}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"

fail() {  # writes a zero score that says what went wrong
  local message="${1//\\/\\\\}"
  message="${message//\"/\\\"}"
  printf '{"score": 0, "output": "The autograder could not grade this submission: %s. This is not necessarily a problem of your code; please tell your instructor.", "visibility": "visible", "tests": []}\n' "$message" > "$RESULTS"
}

if [[ ! -x "$GRADER" ]]; then
  fail "the grader is not installed (setup.sh did not finish)"
  exit 0
fi
status=0
# shellcheck disable=SC2086
"$GRADER" --root "$COURSE" grade "$ROOT/submission" --results-json "$RESULTS" \
  --out "$ROOT/results/report" ${GOC_GRADE_ARGS:-} || status=$?
if [[ ! -s "$RESULTS" ]]; then
  fail "the grader stopped with status $status"
fi
exit 0
)SH");
  fs::permissions(stage / "setup.sh", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                          fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(stage / "run_autograder", fs::status(stage / "setup.sh").permissions());
  fs::create_directories(zip_path.parent_path());
  fs::remove(zip_path);
  RunOptions o;
  o.argv = {"zip", "-qr", zip_path.string(), "setup.sh", "run_autograder", "course"};
  o.cwd = stage;
  o.timeout_seconds = 300;
  RunResult r = run(o);
  std::error_code ec;
  fs::remove_all(stage, ec);
  if (!r.ok()) throw UserError("zip failed: " + r.describe_end(300) + "\n" + cap_text(r.output, 2000));
  std::cout << "Wrote " << zip_path.string()
            << ": upload it as the Gradescope autograder (Ubuntu image). setup.sh builds the grader "
               "and checks that the reference solutions get full marks.\n";
}

}  // namespace grader
