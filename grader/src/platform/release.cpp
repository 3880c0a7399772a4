#include "release.hpp"

#include <iostream>
#include <set>
#include <sstream>

#include "process.hpp"

namespace grader {

namespace {

// Paths (relative to the course root) that never leave the instructor's tree.
const std::vector<std::string> kInstructorOnly = {
    ".git", "build", "solutions", "hidden", "tests/wrong-answers", "grader/tests",
    ".course-progress.toml", ".progress", ".course-skeletons", ".ci"};

bool excluded(const std::string& rel, const std::vector<std::string>& patterns) {
  for (auto& p : patterns)
    if (rel == p || starts_with(rel, p + "/")) return true;
  return false;
}

// Copies the tree, skipping `skip` paths; returns how many files were copied.
std::size_t copy_filtered(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip) {
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).generic_string();
    if (excluded(rel, skip)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    fs::path target = out / rel;
    if (it->is_symlink()) continue;
    if (it->is_directory()) {
      fs::create_directories(target);
    } else if (it->is_regular_file()) {
      fs::create_directories(target.parent_path());
      fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
      fs::permissions(target, fs::status(it->path()).permissions());
      ++files;
    }
  }
  return files;
}

std::string yaml_quote(const std::string& s) { return "'" + replace_all(s, "'", "''") + "'"; }

std::string step_id(const Exercise& e) { return replace_all(e.key, "_", "-"); }

std::string classroom_workflow(const Manifest& m) {
  std::ostringstream y;
  y << "# GitHub Classroom autograding: the public checks of every exercise (tests and\n"
       "# race detector). Hidden tests are not here: the instructor's grader holds them.\n"
       "name: Autograding Tests\n"
       "on: [push, workflow_dispatch, repository_dispatch]\n"
       "permissions:\n  checks: write\n  actions: read\n  contents: read\n"
       "jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n"
       "    if: github.actor != 'github-classroom[bot]'\n    steps:\n"
       "    - name: Checkout code\n      uses: actions/checkout@v4\n"
       "    - name: Install the course's packages\n      run: sudo ./course setup\n"
       "    - name: Let ThreadSanitizer start on this kernel\n"
       "      run: sudo sysctl vm.mmap_rnd_bits=28 || true\n";
  std::vector<std::string> ids;
  for (auto& e : m.exercises) {
    std::string id = step_id(e);
    ids.push_back(id);
    y << "    - name: " << yaml_quote(e.id) << "\n"
      << "      id: " << id << "\n"
      << "      uses: classroom-resources/autograding-command-grader@v1\n"
      << "      with:\n"
      << "        test-name: " << yaml_quote(e.id + ": " + e.title) << "\n"
      << "        setup-command: ''\n"
      << "        command: ./course check " << e.id << "\n"
      << "        timeout: 15\n"
      << "        max-score: " << format_points(e.points.public_tests + e.points.race) << "\n";
  }
  y << "    - name: Autograding Reporter\n"
       "      uses: classroom-resources/autograding-grading-reporter@v1\n"
       "      env:\n";
  for (auto& id : ids) {
    std::string var = replace_all(id, "-", "_");
    for (auto& c : var) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    y << "        " << var << "_RESULTS: \"${{steps." << id << ".outputs.result}}\"\n";
  }
  y << "      with:\n        runners: " << join(ids, ",") << "\n";
  return y.str();
}

std::string student_readme(const Manifest& m) {
  std::ostringstream r;
  r << "# " << m.title << "\n\n"
    << "Exercises in Go-style concurrency for C++20: goroutines, channels, select, "
       "WaitGroup, Mutex and a worker pool, on a small runtime that behaves like Go's.\n\n"
       "## Start\n\n"
       "```sh\n"
       "./course setup     # installs the compiler and libraries (Debian/Ubuntu)\n"
       "./course watch     # checks the current exercise on every save, moves on when it passes\n"
       "```\n\n"
       "## Commands\n\n"
       "| Command | What it does |\n|---|---|\n"
       "| `./course watch [--poll]` | re-checks the current exercise whenever you save (`--poll` where file notifications do not work: WSL, mounted drives) |\n"
       "| `./course check [EXERCISE]` | builds and checks all exercises, or one: tests, race detector, goroutine leaks |\n"
       "| `./course hint [EXERCISE]` | the next hint (each call reveals one more) |\n"
       "| `./course list` | every exercise with your progress |\n"
       "| `./course reset EXERCISE` | puts an exercise back to its starting skeleton (your version is saved under `.progress/`) |\n\n"
       "Each exercise is a folder under `exercises/` with a `README.md` (the task), a header "
       "(the contract: do not change it) and the file(s) you complete. Only those files are "
       "graded; the tests you see are the public ones, and your instructor has more.\n\n"
       "## Exercises\n\n";
  std::string lesson;
  for (auto& e : m.exercises) {
    if (e.lesson != lesson) {
      lesson = e.lesson;
      r << "\n**" << lesson << "**\n\n";
    }
    r << "- `" << e.id << "`: " << e.title << " (" << format_points(e.points.total()) << " points)\n";
  }
  r << "\nYour progress is kept in `.course-progress.toml` (not committed).\n";
  return r.str();
}

}  // namespace

void release_course(const fs::path& course_root, const fs::path& out_arg, bool force) {
  fs::path root = fs::absolute(course_root).lexically_normal();
  fs::path out = fs::absolute(out_arg).lexically_normal();
  if (starts_with(out.string() + "/", root.string() + "/") && !starts_with(out.string(), (root / "build").string()))
    throw UserError("write the release outside the course folder (or under build/)");
  if (fs::exists(out) && !fs::is_empty(out)) {
    if (!force) throw UserError(out.string() + " exists and is not empty (use --force to replace it)");
    fs::remove_all(out);
  }
  Manifest m = load_manifest(root / "exercises" / "manifest.toml");
  std::vector<std::string> skip = kInstructorOnly;
  for (auto& p : m.release_exclude) skip.push_back(p);
  if (starts_with(out.string(), root.string() + "/"))
    skip.push_back(fs::relative(out, root).generic_string());
  std::size_t files = copy_filtered(root, out, skip);
  // Pristine copies of the student files, for `./course reset`.
  for (auto& e : m.exercises)
    for (auto& f : e.student_files) {
      fs::path from = root / "exercises" / e.id / f;
      if (!fs::exists(from)) throw UserError("the manifest names " + e.id + "/" + f + " but it does not exist");
      fs::create_directories((out / ".course-skeletons" / e.id / f).parent_path());
      fs::copy_file(from, out / ".course-skeletons" / e.id / f, fs::copy_options::overwrite_existing);
    }
  if (fs::exists(root / "README.md")) fs::rename(out / "README.md", out / "COURSE-OVERVIEW.md");
  write_file(out / "README.md", student_readme(m));
  write_file(out / ".github" / "workflows" / "classroom.yml", classroom_workflow(m));
  std::cout << "Released " << files << " files to " << out.string()
            << " (without solutions/, hidden/, tests/wrong-answers/, grader/tests/).\n"
               "Next: cd there, `git init && git add -A && git commit -m 'Course'`, push it and make it a "
               "GitHub Classroom template.\n";
}

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
