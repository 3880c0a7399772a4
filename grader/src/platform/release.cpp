#include "release.hpp"

#include <iostream>
#include <set>
#include <sstream>

#include "classroom.hpp"
#include "tree_copy.hpp"

namespace grader {

namespace {

// Paths (relative to the course root) that never leave the instructor's tree.
const std::vector<std::string> kInstructorOnly = {
    ".git", "build", "solutions", "hidden", "tests/wrong-answers", "grader/tests",
    ".course-progress.toml", ".progress", ".course-skeletons", ".ci"};

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

}  // namespace grader
