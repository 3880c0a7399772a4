#include "gradescope.hpp"

#include <iostream>

#include "data_file.hpp"
#include "process.hpp"
#include "tree_copy.hpp"

namespace grader {

namespace {

// What setup.sh installs: present on Ubuntu 22.04 (universe), 24.04 and
// Debian 12 under these names (grader/README.md, "Gradescope"). No toml++:
// 22.04 has no package of it, and the grader reads the JSON twins instead.
constexpr const char* kSetupPackages = "g++ make cmake catch2 libcli11-dev nlohmann-json3-dev libpugixml-dev unzip";

// `ONLY=(--only 'id' ...)`: the ids are checked by the manifest's id rule, so
// they need no more quoting than this.
std::string only_array(const std::vector<std::string>& ids) {
  std::string line = "ONLY=(";
  for (auto& id : ids) line += (line.size() > 6 ? " " : "") + std::string("--only '") + id + "'";
  return line + ")";
}

std::string setup_script(const std::vector<std::string>& ids) {
  return R"SH(#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu 22.04, its default; 24.04 and Debian 12 work too). It installs what
# the grader needs, builds it, grades the reference solutions of the packaged
# exercises and stops with an error unless they get full marks, then takes
# the solutions away from student code.
# For testing the package elsewhere (grader/tests/gradescope_harness.sh):
#   AUTOGRADER_ROOT  the folder standing for /autograder
#   GOC_GRADER       an already built goc-grader, used instead of building one
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
COURSE="$ROOT/source/course"
)SH" + only_array(ids) + "\nPACKAGES=(" + kSetupPackages + R"SH()
cd "$COURSE"

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "== Installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

GRADER="${GOC_GRADER:-}"
if [[ -z "$GRADER" ]]; then
  echo "== Building the grader (without toml++: it reads exercises/manifest.json)"
  cmake -S . -B build/plain -DCMAKE_BUILD_TYPE=Debug -DGOC_GRADER_TOML=OFF
  cmake --build build/plain -j"$(nproc)" --target goc_grader
  GRADER=build/plain/grader/goc-grader
fi

# Also warms the instructor caches that run_autograder reuses.
echo "== Grading the reference solutions: they must get full marks"
if ! "$GRADER" --root . grade solutions "${ONLY[@]}" --expect-full-marks -j "$(nproc)" -q; then
  echo "setup.sh: the reference solutions did not get full marks (the lines above say which exercise" >&2
  echo "fell short and why). Every submission would be graded against the same tests: fix the course" >&2
  echo "or the grading machine, then package and upload again." >&2
  exit 1
fi
rm -rf solutions
chmod -R go-rwx hidden
# The caches remember a fingerprint of the course tree, which has just
# changed: grading an empty upload stores the new one here, in the image,
# so that no submission (each graded in a fresh copy of it) redoes the make pass.
empty="$(mktemp -d)"
"$GRADER" --root . grade "$empty" "${ONLY[@]}" --out "$empty/report" -q > /dev/null
rm -rf "$empty"
echo "== The autograder is ready"
)SH";
}

std::string run_autograder_script(const std::vector<std::string>& ids, bool show_hidden_test_names) {
  return R"SH(#!/usr/bin/env bash
# Gradescope runs this for every submission. It always writes results.json,
# even when grading itself fails. Paths can be overridden for tests.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
COURSE="${GOC_COURSE_ROOT:-$ROOT/source/course}"
GRADER="${GOC_GRADER:-$COURSE/build/plain/grader/goc-grader}"
RESULTS="$ROOT/results/results.json"
)SH" + only_array(ids) + "\nNAMES=(" + (show_hidden_test_names ? "" : "--hide-hidden-test-names") + R"SH()
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
"$GRADER" --root "$COURSE" grade "$ROOT/submission" "${ONLY[@]}" "${NAMES[@]}" --results-json "$RESULTS" \
  --out "$ROOT/results/report" ${GOC_GRADE_ARGS:-} || status=$?
if [[ ! -s "$RESULTS" ]]; then
  fail "the grader stopped with status $status"
fi
exit 0
)SH";
}

void write_executable(const fs::path& path, const std::string& text) {
  write_file(path, text);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
}

// What the autograder does not need: the wrong answers, the grader's own tests, CI.
const std::vector<std::string> kNotPackaged = {"tests/wrong-answers", "grader/tests", ".ci"};

// The course as the autograder gets it: the last commit (no untracked file,
// such as a folder of student submissions, goes in) without kNotPackaged,
// and the JSON twins of the TOML files the grader reads.
void stage_course(const fs::path& root, const fs::path& out) {
  copy_committed(root, out, kNotPackaged);
  fs::path manifest = fs::path("exercises") / "manifest.toml";
  write_json_twin(root / manifest, out / json_twin(manifest));
  fs::path allowlist = fs::path("grader") / "symbol-allowlist.toml";
  if (fs::exists(root / allowlist)) write_json_twin(root / allowlist, out / json_twin(allowlist));
}

void zip_folder(const fs::path& stage, const fs::path& zip_path) {
  fs::create_directories(zip_path.parent_path());
  fs::remove(zip_path);
  RunOptions o;
  o.argv = {"zip", "-qr", zip_path.string(), "setup.sh", "run_autograder", "course"};
  o.cwd = stage;
  o.timeout_seconds = 300;
  RunResult r = run(o);
  if (!r.ok()) throw UserError("zip failed: " + r.describe_end(300) + "\n" + cap_text(r.output, 2000));
}

}  // namespace

void package_gradescope(const fs::path& course_root, const fs::path& zip_arg, const GradescopeOptions& options) {
  fs::path root = fs::absolute(course_root).lexically_normal();
  fs::path zip_path = fs::absolute(zip_arg).lexically_normal();
  if (zip_path.extension() != ".zip") throw UserError("the package must be a .zip file");
  Manifest manifest = load_manifest(root / "exercises" / "manifest.toml");  // refuse an invalid course
  head_commit(root);  // refuse a course outside git, saying how to commit it
  std::vector<std::string> left_out = changes_left_out(root, kNotPackaged, "package", options.allow_dirty);
  std::vector<std::string> ids;
  if (!options.only.empty())
    for (const Exercise* e : select_exercises(manifest, options.only)) ids.push_back(e->id);
  fs::path stage = make_scratch_dir("goc-package");
  try {
    stage_course(root, stage / "course");
    write_executable(stage / "setup.sh", setup_script(ids));
    write_executable(stage / "run_autograder", run_autograder_script(ids, options.show_hidden_test_names));
    zip_folder(stage, zip_path);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(stage, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(stage, ec);
  if (!left_out.empty())
    std::cerr << "note: --allow-dirty: " << left_out.size() << " uncommitted change(s) left out of the package\n";
  std::cout << "Wrote " << zip_path.string() << " (" << (ids.empty() ? "every exercise" : join(ids, ", "))
            << "): upload it as the Gradescope autograder (Ubuntu 22.04 image or later). setup.sh builds the "
               "grader and stops with an error unless the reference solutions get full marks.\n";
}

}  // namespace grader
