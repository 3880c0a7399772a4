#include "release.hpp"

#include <iostream>
#include <sstream>

#include "classroom.hpp"
#include "tree_copy.hpp"

namespace grader {

namespace {

// Paths (relative to the course root) that never leave the instructor's tree:
// solutions, hidden tests, wrong answers, the grader's own tests and CI, and
// the documents written for instructors and course authors (the release
// writes its own README.md for students).
const std::vector<std::string> kInstructorOnly = {
    "solutions", "hidden", "tests", "grader/tests", ".ci", "README.md", "docs/pages/instructor-guide.md",
    "exercises/FRAMEWORK.md", "grader/README.md", "bench/grader-defence-cost.sh", "bench/grader-compiler-cost.sh",
    "bench/grader-ab.sh", "bench/grader-cpu-by-command.sh", "bench/grade-all-rounds.sh",
    // Never committed on purpose, but a course repository might hold them.
    "build", ".course-progress.toml", ".progress", ".course-skeletons", kReleaseMarker};

void write_lessons(std::ostringstream& r, const Manifest& m, const fs::path& out) {
  r << "## Learn\n\n"
       "Read the lessons in order, then do their exercises. Each lesson is a folder under "
       "`lessons/` whose `README.md` explains one idea of Go's concurrency in C++, with a "
       "runnable example for every idea and pitfall:\n\n";
  std::string lesson;
  for (auto& e : m.exercises) {
    if (e.lesson == lesson) continue;
    lesson = e.lesson;
    if (fs::exists(out / "lessons" / lesson / "README.md"))
      r << "- [`lessons/" << lesson << "`](lessons/" << lesson << "/README.md)\n";
  }
  r << "\n`./course docs` builds the same lessons as a website, with the exercises and the runtime's "
       "API reference, checks it, and prints the file to open in your browser. `./course demo` "
       "runs a two-minute tour of the runtime.\n\n";
}

void write_commands(std::ostringstream& r) {
  r << "## Commands\n\n"
       "| Command | What it does |\n|---|---|\n"
       "| `./course watch [--poll]` | re-checks the current exercise whenever you save (`--poll` where file notifications do not work: WSL, mounted drives) |\n"
       "| `./course check [EXERCISE]` | builds and checks all exercises, or one: tests, race detector, goroutine leaks |\n"
       "| `./course hint [EXERCISE]` | the next hint (each call reveals one more) |\n"
       "| `./course list` | every exercise with your progress |\n"
       "| `./course reset EXERCISE` | puts an exercise back to its starting skeleton (your version is saved under `.progress/`) |\n"
       "| `./course run [EXAMPLE]` | builds and runs one of the lessons' example programs (none named: lists them) |\n"
       "| `./course trace NAME [--seed N]` | runs an exercise's tests or a lesson example once and draws what each goroutine did as a timeline (`build/traces/NAME/trace.html`) |\n"
       "| `./course docs` | the lessons and the API reference as a website |\n\n"
       "Each exercise is a folder under `exercises/` with a `README.md` (the task), a header "
       "(the contract: do not change it) and the file(s) you complete. Only those files are "
       "graded; the tests you see are the public ones, and your instructor has more. When you "
       "push, GitHub Classroom runs `./course check` on each exercise and shows your points.\n\n";
}

std::string student_readme(const Manifest& m, const fs::path& out) {
  std::ostringstream r;
  r << "# " << m.title << "\n\n"
    << "Exercises in Go-style concurrency for C++20: goroutines, channels, select, "
       "WaitGroup, Mutex and a worker pool, on a small runtime that behaves like Go's.\n\n"
       "## Start\n\n"
       "```sh\n"
       "./course setup     # installs the compiler and libraries (Debian/Ubuntu)\n"
       "./course docs      # the lessons as a website: read lesson 1 first\n"
       "./course watch     # checks the current exercise on every save, moves on when it passes\n"
       "```\n\n";
  write_lessons(r, m, out);
  write_commands(r);
  r << "## Exercises\n";
  std::string lesson;
  for (auto& e : m.exercises) {
    if (e.lesson != lesson) {
      lesson = e.lesson;
      r << "\n**" << lesson << "**\n\n";
    }
    r << "- [`" << e.id << "`](exercises/" << e.id << "/README.md): " << e.title << " ("
      << format_points(e.points.total()) << " points)\n";
  }
  r << "\nYour progress is kept in `.course-progress.toml` (not committed).\n";
  return r.str();
}

// Pristine copies of the student files, for `./course reset`: HEAD's, like the rest.
void write_skeletons(const Manifest& m, const fs::path& out) {
  for (auto& e : m.exercises)
    for (auto& f : e.student_files) {
      fs::path from = out / "exercises" / e.id / f;
      if (!fs::exists(from))
        throw UserError("the manifest names " + e.id + "/" + f + " but the last commit does not hold it");
      fs::create_directories((out / ".course-skeletons" / e.id / f).parent_path());
      fs::copy_file(from, out / ".course-skeletons" / e.id / f, fs::copy_options::overwrite_existing);
    }
}

// The release itself, from HEAD: its manifest (not the working tree's) says
// what the README, the workflow and the skeletons hold.
void write_release(const fs::path& root, const fs::path& out, const std::string& commit) {
  copy_committed(root, out, kInstructorOnly);
  Manifest m = load_manifest(out / "exercises" / "manifest.toml");
  for (auto& p : m.release_exclude) fs::remove_all(out / p);
  write_skeletons(m, out);
  write_file(out / "README.md", student_readme(m, out));
  write_file(out / ".github" / "workflows" / "classroom.yml", classroom_workflow(m));
  write_file(out / kReleaseMarker, "This is the student release of the course, cut from commit " + commit +
                                       ".\n./course reads this file: it offers the student commands only.\n");
}

}  // namespace

void release_course(const fs::path& course_root, const fs::path& out_arg, const ReleaseOptions& options) {
  fs::path root = fs::absolute(course_root).lexically_normal();
  fs::path out = fs::absolute(out_arg).lexically_normal();
  if (starts_with(out.string() + "/", root.string() + "/") && !starts_with(out.string(), (root / "build").string()))
    throw UserError("write the release outside the course folder (or under build/)");
  std::string commit = head_commit(root);
  std::vector<std::string> skip = kInstructorOnly;
  for (auto& p : load_manifest(root / "exercises" / "manifest.toml").release_exclude) skip.push_back(p);
  std::vector<std::string> changes = changes_left_out(root, skip, "release", options.allow_dirty);
  if (fs::exists(out) && !fs::is_empty(out)) {
    if (!options.force) throw UserError(out.string() + " exists and is not empty (use --force to replace it)");
    fs::remove_all(out);
  }
  try {
    write_release(root, out, commit);
  } catch (...) {
    fs::remove_all(out);  // no half-written release
    throw;
  }
  if (!changes.empty())
    std::cerr << "note: --allow-dirty: " << changes.size() << " uncommitted change(s) left out of the release\n";
  std::cout << "Released commit " << commit << " to " << out.string()
            << " (committed files only, without the instructor's material).\n"
               "Next: cd there, `git init && git add -A && git commit -m 'Course'`, push it and make it a "
               "GitHub Classroom template.\n";
}

}  // namespace grader
