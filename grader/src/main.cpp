// goc-grader: the course's grader and student tool. `./course` starts it; run
// `./course help` for the commands.
#include <CLI/CLI.hpp>
#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "grade.hpp"
#include "manifest.hpp"
#include "symbol_check.hpp"
#include "memory.hpp"
#include "gradescope.hpp"
#include "release.hpp"
#include "reports.hpp"
#include "cli.hpp"
#include "student.hpp"
#include "submission.hpp"
#include "util.hpp"

using namespace grader;

namespace {

fs::path default_root() {
  if (const char* r = std::getenv("GOC_COURSE_ROOT"); r && *r) return r;
  return fs::current_path();
}

// Test programs spend much of their time waiting (channels, timers, the
// TSan runtime's own locks), so twice as many at once as there are cores
// keeps the cores busy: measured on 2 cores, grade-all took 2 min 38 s for
// four submissions with 4 at once, 4 min with 2.
int default_jobs() { return static_cast<int>(std::max(2u, 2 * std::thread::hardware_concurrency())); }

struct GradeFlags {
  fs::path out;
  fs::path cache;
  fs::path work;
  std::string compiler = "auto";
  std::vector<std::string> only;
  double timeout = 30;
  double tsan_timeout = 120;
  bool no_race = false;
  std::optional<int> schedules;
  bool no_symbol_check = false;
  bool no_sandbox = false;
  bool keep_work = false;
  int jobs = default_jobs();
  long max_threads = 3000;
  std::string max_memory = "1G";
  std::string tsan_max_memory = "2G";
  bool unsafe_no_sandbox = false;
  fs::path results_json;
  bool quiet = false;
  bool hide_hidden_names = false;
  bool expect_full_marks = false;
};

void add_grade_flags(CLI::App* cmd, GradeFlags& f) {
  cmd->add_option("--out,-o", f.out, "Folder for the reports (default build/grades/<name>)");
  cmd->add_option("--cache", f.cache, "Instructor build cache (default build/grader-cache)");
  cmd->add_option("--work", f.work, "Scratch folder (default build/grader-work)");
  cmd->add_option("--compiler", f.compiler,
                  "C++ compiler for the instructor cache and the student files: auto (clang++ where it builds "
                  "ThreadSanitizer programs, as it compiles student files about twice as fast; else c++), or a "
                  "program such as g++; changing it rebuilds the cache")
      ->capture_default_str();
  cmd->add_option("--only", f.only, "Grade only these exercises (id, key, lesson or prefix); repeatable");
  cmd->add_option("--timeout", f.timeout, "Seconds per test program without ThreadSanitizer")->capture_default_str();
  cmd->add_option("--tsan-timeout", f.tsan_timeout, "Seconds per test program under ThreadSanitizer")
      ->capture_default_str();
  cmd->add_option("--max-threads", f.max_threads, "Thread and process cap per student program")->capture_default_str();
  cmd->add_option("--max-memory", f.max_memory,
                  "Memory per test program (all its processes), e.g. 1G or 512M; over it the program is stopped")
      ->capture_default_str();
  cmd->add_option("--tsan-max-memory", f.tsan_max_memory, "The same under ThreadSanitizer, which needs more")
      ->capture_default_str();
  cmd->add_flag("--unsafe-no-sandbox", f.unsafe_no_sandbox,
                "Grade even when the user nobody cannot reach the course: student code then runs as root "
                "without the thread limit (only for code you trust)");
  cmd->add_option("--schedules", f.schedules,
                  "Also run every exercise's tests under this many of the fixed seeded schedules (random:1, "
                  "pct:1:2, random:2, ...) instead of the manifest's number; 0 for none")
      ->check(CLI::Range(0, kMaxSchedules));
  cmd->add_flag("--no-race", f.no_race, "Skip the ThreadSanitizer runs (race points are then not awarded)");
  cmd->add_flag("--no-symbol-check", f.no_symbol_check,
                "Link student files without checking what they use (measuring and debugging the grader only)");
  cmd->add_flag("--no-sandbox", f.no_sandbox, "Run student code without limits (debugging only)");
  cmd->add_flag("--keep-work", f.keep_work, "Keep the scratch folder of each submission");
  cmd->add_option("-j,--jobs", f.jobs,
                  "Exercises (grade) or submissions (grade-all) graded at once; default twice the cores")
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", f.quiet, "Only the table");
  cmd->add_flag("--hide-hidden-test-names", f.hide_hidden_names,
                "The student's report.md says \"a hidden test\" instead of its name");
}

GradeOptions grade_options(const fs::path& root, const GradeFlags& f) {
  GradeOptions o;
  o.course_root = root;
  o.cache_dir = f.cache.empty() ? root / "build" / "grader-cache" : f.cache;
  o.work_dir = f.work.empty() ? root / "build" / "grader-work" : f.work;
  o.compiler = f.compiler;
  o.only = f.only;
  o.timeout_plain = f.timeout;
  o.timeout_tsan = f.tsan_timeout;
  o.race_detector = !f.no_race;
  o.schedules = f.schedules;
  o.check_symbols = !f.no_symbol_check;
  o.jobs = std::max(1, f.jobs);
  o.exercise_jobs = o.jobs;
  o.quiet = f.quiet;
  o.keep_work = f.keep_work;
  o.show_hidden_names = !f.hide_hidden_names;
  o.sandbox.enabled = !f.no_sandbox;
  o.max_memory_plain = parse_memory_size(f.max_memory);
  o.max_memory_tsan = parse_memory_size(f.tsan_max_memory);
  o.unsafe_no_sandbox = f.unsafe_no_sandbox;
  // RLIMIT_NPROC counts every thread of the user the programs run as. Under
  // root each exercise graded at once runs as a uid of its own (UidPool), so
  // each gets the whole cap; otherwise up to `jobs` programs share the user.
  o.sandbox.max_threads = running_as_root() ? f.max_threads : f.max_threads * o.jobs;
  return o;
}

// Writes every report it can; says which could not be written.
bool write_all_reports(const SubmissionResult& result, const fs::path& out, const fs::path& extra_json) {
  auto failed = write_reports(result, out);
  if (!extra_json.empty()) {
    try {
      write_file(extra_json, results_json(result));
    } catch (const std::exception& e) {
      failed.push_back(extra_json.string() + ": " + e.what());
    }
  }
  for (auto& f : failed) std::cerr << "error: a report of " << result.name << " could not be written: " << f << "\n";
  return failed.empty();
}

// Grading that fails inside the grader still leaves a results.json that
// says so (score 0, "internal error, not the student's fault").
void write_internal_error(const fs::path& out, const fs::path& extra_json, const std::string& what) {
  for (const fs::path& p : {out / "results.json", extra_json}) {
    if (p.empty()) continue;
    try {
      fs::create_directories(p.parent_path());
      write_file(p, failure_results_json(what));
    } catch (const std::exception&) {
    }
  }
}

// For --expect-full-marks (setup.sh grades the reference solutions with it):
// true when every exercise got its maximum, else says which did not and why.
bool says_full_marks(const SubmissionResult& result) {
  bool full = result.rejected.empty();
  if (!full) std::cerr << "error: the submission was refused: " << result.rejected << "\n";
  for (auto& e : result.exercises) {
    if (e.score() >= e.max_score()) continue;
    full = false;
    std::cerr << "error: " << e.exercise->id << " got " << format_points(e.score()) << "/"
              << format_points(e.max_score()) << ", not full marks: " << e.status
              << (e.full_summary.empty() ? "" : " (" + e.full_summary + ")") << "\n";
  }
  return full;
}

int cmd_grade(const fs::path& root, const fs::path& submission, const GradeFlags& f) {
  std::string name = submission_name(submission);
  fs::path out = f.out.empty() ? root / "build" / "grades" / name : f.out;
  GradeOptions options = grade_options(root, f);
  options.also_hidden.push_back(out.parent_path());  // other students' reports
  // The results point into the grader's manifest: it outlives them.
  Grader grader(options);
  SubmissionResult result;
  // Written first and replaced at the end: a grader that is killed or
  // crashes half-way still leaves a results.json that says so.
  write_internal_error(out, f.results_json, "the grader stopped before it finished grading");
  try {
    grader.prepare();
    if (!f.quiet) std::cerr << "Grading " << submission.string() << " ...\n";
    result = grader.grade(submission, name);
  } catch (const std::exception& e) {
    write_internal_error(out, f.results_json, e.what());
    throw;
  }
  bool written = write_all_reports(result, out, f.results_json);
  std::cout << terminal_table(result, Colors{use_color()});
  std::cout << "Reports: " << (out / "report.md").string()
            << ", instructor-report.md, results.json, junit.xml\n";
  if (!written) return 2;
  if (result.host_problem) return 3;
  return f.expect_full_marks && !says_full_marks(result) ? 1 : 0;
}

// A batch's exit status: 0 when every submission was graded in full; 3 and
// the list when the host got in the way of some (re-grade those); 2 when a
// report could not be written.
int finish_batch(const std::vector<SubmissionResult>& results, bool unwritten) {
  std::vector<std::string> host;
  for (auto& r : results)
    if (r.host_problem) host.push_back(r.name);
  if (!host.empty())
    std::cerr << "warning: " << host.size() << " submission(s) were not graded in full because of a problem of "
              << "this machine, not of the students' code; re-grade them: " << join(host, ", ") << "\n";
  if (unwritten) return 2;
  return host.empty() ? 0 : 3;
}

int cmd_grade_all(const fs::path& root, const fs::path& folder, const GradeFlags& f) {
  if (!fs::is_directory(folder)) throw UserError(folder.string() + " is not a folder");
  std::vector<fs::path> submissions;
  for (auto& entry : fs::directory_iterator(folder)) {
    auto n = entry.path().filename().string();
    if (n.empty() || n[0] == '.') continue;
    if (entry.is_directory() || entry.is_regular_file()) submissions.push_back(entry.path());
  }
  std::sort(submissions.begin(), submissions.end());
  fs::path out = f.out.empty() ? root / "build" / "grades" / submission_name(folder) : f.out;
  refuse_single_submission_folder(folder, load_manifest(root / "exercises" / "manifest.toml"));
  GradeOptions options = grade_options(root, f);
  options.exercise_jobs = 1;  // the parallelism is across submissions
  options.also_hidden.push_back(out.parent_path());  // earlier reports
  Grader grader(options);
  grader.prepare();
  // Submissions run in parallel; each grades its exercises one after another.
  std::vector<SubmissionResult> results(submissions.size());
  std::atomic<std::size_t> next{0};
  std::mutex print;
  bool unwritten = false;
  auto worker = [&] {
    for (std::size_t i = next++; i < submissions.size(); i = next++) {
      std::string name = submission_name(submissions[i]);
      try {
        results[i] = grader.grade(submissions[i], name);
      } catch (const std::exception& e) {
        results[i].name = name;
        results[i].rejected = std::string("the grader failed: ") + e.what();
      }
      std::lock_guard g(print);
      if (!write_all_reports(results[i], out / name, {})) unwritten = true;
      std::cout << name << ": " << format_points(results[i].score()) << "/"
                << format_points(results[i].max_score())
                << (results[i].rejected.empty() ? "" : "  (refused: " + results[i].rejected + ")") << "  ["
                << format_points(static_cast<int>(results[i].seconds * 10) / 10.0) << " s]\n";
    }
  };
  std::vector<std::thread> threads;
  int jobs = std::max(1, f.jobs);
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  write_file(out / "gradebook.csv", gradebook_csv(results, grader.exercises()));
  std::cout << "Gradebook: " << (out / "gradebook.csv").string() << " (" << results.size()
            << " submissions); one report folder per submission beside it.\n";
  return finish_batch(results, unwritten);
}

// The symbol check on objects built elsewhere (the course's solutions and
// wrong answers: they must pass). Exit status 1 when anything is refused.
int cmd_check_symbols(const fs::path& root, const std::string& exercise, const fs::path& source,
                      const std::vector<fs::path>& objects) {
  Manifest m = load_manifest(root / "exercises" / "manifest.toml");
  const Exercise* e = m.find(exercise);
  if (!e) throw UserError("no exercise '" + exercise + "' in the manifest (give its id or key, e.g. ex_01_02)");
  SymbolPolicy policy = SymbolPolicy::built_in().allowing(e->allow_symbols);
  std::string text = source.empty() ? "" : read_file(source);
  std::vector<Refusal> refusals = source.empty() ? std::vector<Refusal>{} : check_source(text);
  for (auto& object : objects) {
    if (!fs::is_regular_file(object)) throw UserError(object.string() + " is not an object file");
    std::string error;
    for (auto& r : check_object(object, text, policy, error)) refusals.push_back(r);
    if (!error.empty()) throw UserError(error);
  }
  std::string shown = source.empty() ? objects.front().filename().string() : source.string();
  if (refusals.empty()) {
    std::cout << "ok: " << shown << " (" << e->id << ")\n";
    return 0;
  }
  std::cout << describe_refusals(refusals, shown);
  return 1;
}

// The instructor commands' words and flags, filled in by CLI11 (the student
// commands are in student/cli.cpp).
struct Command {
  StudentCommand student;
  GradeFlags grade_flags;
  fs::path submission, folder;
  fs::path release_out;
  bool force = false;
  bool allow_dirty = false;
  std::string package_kind;
  fs::path package_out;
  GradescopeOptions gradescope;
  std::string symbols_exercise;
  fs::path symbols_source;
  std::vector<fs::path> symbols_objects;
  CLI::App *grade = nullptr, *grade_all = nullptr, *release = nullptr, *package = nullptr,
           *check_symbols = nullptr;
};

void add_instructor_commands(CLI::App& app, Command& c) {
  c.grade = app.add_subcommand("grade", "Grade one submission (folder, .zip or .tar.gz)");
  c.grade->add_option("submission", c.submission, "The submission")->required();
  c.grade->add_option("--results-json", c.grade_flags.results_json, "Also write Gradescope's results.json here");
  c.grade->add_flag("--expect-full-marks", c.grade_flags.expect_full_marks,
                    "Exit with status 1, naming each exercise that fell short, unless the score is full marks "
                    "(for checking reference solutions)");
  add_grade_flags(c.grade, c.grade_flags);
  c.grade_all = app.add_subcommand("grade-all", "Grade every submission in a folder, write gradebook.csv");
  c.grade_all->add_option("folder", c.folder, "Folder of submissions (folders or archives)")->required();
  add_grade_flags(c.grade_all, c.grade_flags);
  c.release = app.add_subcommand(
      "release", "Write the student repository from the last commit (no solutions, hidden tests or instructor documents)");
  c.release->add_option("out", c.release_out, "Output folder")->required();
  c.release->add_flag("--force", c.force, "Replace the output folder if it exists");
  c.release->add_flag("--allow-dirty", c.allow_dirty,
                      "Release the last commit although released files have uncommitted changes (they are left out)");
  c.package = app.add_subcommand("package", "Package the autograder for a grading platform");
  c.package->add_option("platform", c.package_kind, "gradescope")->required()->check(CLI::IsMember({"gradescope"}));
  c.package->add_option("out", c.package_out, "The zip to write")->required();
  c.package->add_option("--only", c.gradescope.only,
                        "Grade only these lessons or exercises (id or key; repeatable); the maximum score follows");
  c.package->add_flag("--allow-dirty", c.gradescope.allow_dirty,
                      "Package the last commit although files it would hold have uncommitted changes (they are left out)");
  c.package->add_flag("--show-hidden-test-names", c.gradescope.show_hidden_test_names,
                      "Name failed hidden tests in what students see before grades are published "
                      "(default: \"a hidden test\")");
  c.check_symbols = app.add_subcommand(
      "check-symbols", "Run the grader's check of student files on compiled objects (exit 1 if one is refused)");
  c.check_symbols->add_option("--exercise", c.symbols_exercise, "Exercise id or key the objects belong to")->required();
  c.check_symbols->add_option("--source", c.symbols_source,
                              "The source file they were compiled from (source rules, lines)");
  c.check_symbols->add_option("objects", c.symbols_objects, "Object files")->required();
}

// Runs the command the user chose.
int dispatch(const fs::path& root, Command& c) {
  if (int status = run_student_command(root, c.student); status >= 0) return status;
  if (*c.grade) return cmd_grade(root, c.submission, c.grade_flags);
  if (*c.grade_all) return cmd_grade_all(root, c.folder, c.grade_flags);
  if (*c.check_symbols) return cmd_check_symbols(root, c.symbols_exercise, c.symbols_source, c.symbols_objects);
  if (*c.release) release_course(root, c.release_out, ReleaseOptions{c.force, c.allow_dirty});
  if (*c.package) package_gradescope(root, c.package_out, c.gradescope);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Command command;
  std::unique_ptr<CLI::App> course = course_app(command.student);
  CLI::App& app = *course;
  fs::path root = default_root();
  app.add_option("--root", root, "The course's root folder (default: current folder)");
  add_instructor_commands(app, command);
  CLI11_PARSE(app, argc, argv);
  try {
    root = fs::absolute(root).lexically_normal();
    if (!fs::exists(root / "exercises" / "manifest.toml"))
      throw UserError("no exercises/manifest.toml under " + root.string() + " (use --root)");
    return dispatch(root, command);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}
