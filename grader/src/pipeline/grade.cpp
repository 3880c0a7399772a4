#include "grade.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/fsuid.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <future>
#include <iostream>
#include <thread>

#include "archive.hpp"
#include "compiler_choice.hpp"
#include "diagnose.hpp"
#include "exercise.hpp"
#include "symbol_check.hpp"
#include "submission.hpp"
#include "testrun.hpp"

namespace grader {

double ExerciseResult::score() const {
  double s = 0;
  for (auto& i : items) s = add_points(s, i.score);
  return s;
}
double ExerciseResult::max_score() const {
  double s = 0;
  for (auto& i : items) s = add_points(s, i.max_score);
  return s;
}
double SubmissionResult::score() const {
  double s = 0;
  for (auto& e : exercises) s = add_points(s, e.score());
  return s;
}
double SubmissionResult::max_score() const {
  double s = 0;
  for (auto& e : exercises) s = add_points(s, e.max_score());
  return s;
}

std::string submission_name(const fs::path& submission) {
  std::string name = fs::path(submission).lexically_normal().filename().string();
  if (name.empty()) name = fs::path(submission).lexically_normal().parent_path().filename().string();
  for (std::string ext : {".tar.gz", ".tgz", ".zip", ".tar"})
    if (ends_with(name, ext)) return name.substr(0, name.size() - ext.size());
  return name;
}

namespace {

// Whether the uid nobody passes access(path, mode). A forked child checks
// with nobody's file-system identity only (setfsuid drops root's file
// capabilities): it stays root otherwise, so it never runs as a sandbox uid
// it has not leased.
bool nobody_has_access(const fs::path& path, int mode) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0) _exit(2);
    setfsgid(kNobodyId);
    setfsuid(kNobodyId);
    if (static_cast<unsigned>(setfsuid(-1)) != kNobodyId) _exit(2);  // reads back the current one
    _exit(faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool is_same_or_inside(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

}  // namespace

bool nobody_can_read(const fs::path& path) {
  if (!running_as_root()) return true;
  return nobody_has_access(path, fs::is_directory(path) ? R_OK | X_OK : R_OK);
}

fs::path first_closed_to_nobody(const fs::path& path) {
  if (!running_as_root()) return {};
  fs::path at;
  for (auto& part : fs::absolute(path).lexically_normal()) {
    at /= part;
    if (at != path && !nobody_has_access(at, X_OK)) return at;
  }
  return nobody_can_read(path) ? fs::path() : path;
}

Grader::Grader(GradeOptions options) : options_(std::move(options)) {}

Grader::~Grader() {
  std::error_code ec;
  if (!sandbox_root_.empty()) fs::remove_all(sandbox_root_, ec);
}

void Grader::prepare() {
  options_.course_root = fs::absolute(options_.course_root).lexically_normal();
  manifest_ = load_manifest(options_.course_root / "exercises" / "manifest.toml");
  selected_ = select_exercises(manifest_, options_.only);
  fs::create_directories(options_.work_dir);
  options_.work_dir = fs::absolute(options_.work_dir).lexically_normal();
  fs::create_directories(options_.cache_dir);
  options_.cache_dir = fs::absolute(options_.cache_dir).lexically_normal();
  check_sandbox_can_run();  // before minutes of building, not after
  uids_ = std::make_unique<UidPool>();
  fs::path probe = options_.work_dir / ("compiler-probe-" + std::to_string(getpid()));
  const fs::path compiler =
      choose_grading_compiler(options_.compiler, probe, options_.cache_dir / "compiler-probe.json");
  std::error_code ec;
  fs::remove_all(probe, ec);
  plain_ = std::make_unique<InstructorBuild>(options_.course_root, options_.cache_dir / "plain", Variant::plain,
                                             compiler);
  bool all = selected_.size() == manifest_.exercises.size();
  // The two caches build at the same time: each has stretches that keep only
  // one core busy (configuring, the make pass's dependency scan, the last
  // links), and the other fills them.
  std::future<void> tsan_ready;
  if (options_.race_detector) {
    tsan_ = std::make_unique<InstructorBuild>(options_.course_root, options_.cache_dir / "tsan", Variant::tsan,
                                              compiler);
    tsan_ready = std::async(std::launch::async,
                            [this, all] { tsan_->prepare(selected_, all, options_.jobs, options_.quiet); });
  }
  plain_->prepare(selected_, all, options_.jobs, options_.quiet);
  if (tsan_ready.valid()) tsan_ready.get();  // rethrows what the tsan side threw
  // Student code gets a scratch folder of its own under /tmp.
  sandbox_root_ = make_scratch_dir("goc-grader");
  fs::permissions(sandbox_root_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  plan_hidden_folders();
}

// Student code runs as nobody (or a uid like it) so that the thread limit
// binds and it cannot touch the grader's files. That uid must reach the
// course, the cache and the work folder; if it cannot, refuse up front rather
// than run student code as root.
void Grader::check_sandbox_can_run() {
  if (!options_.sandbox.enabled || !options_.sandbox.drop_privileges || !running_as_root()) return;
  std::vector<std::string> problems;
  for (const fs::path& needed : {options_.course_root / "exercises", options_.cache_dir, options_.work_dir})
    if (fs::path closed = first_closed_to_nobody(needed); !closed.empty())
      problems.push_back("  " + needed.string() + " (closed at " + closed.string() + ")");
  if (problems.empty()) return;
  std::string why = "student code runs as the user nobody, which cannot reach:\n" + join(problems, "\n") + "\n";
  if (options_.unsafe_no_sandbox) {
    std::cerr << "warning: " << why
              << "--unsafe-no-sandbox: student code will run as root, without the thread limit.\n";
    options_.sandbox.drop_privileges = false;
    return;
  }
  throw UserError("cannot grade safely: " + why +
                  "Make those folders and their parents enterable by others (chmod o+x on each folder "
                  "named, o+r on the course files), or keep the course, --cache and --work in a folder "
                  "others can read (not a private home folder or mktemp -d folder). "
                  "--unsafe-no-sandbox grades anyway, running student code as root: only for code you trust.");
}

// What student code must not see: the instructor's solutions, hidden tests
// and course tests, other submissions' work folders, reports. A folder that
// holds something the compile or the run needs stays visible.
void Grader::plan_hidden_folders() {
  if (!options_.sandbox.enabled) return;
  const fs::path& root = options_.course_root;
  std::vector<fs::path> instructor = {root / "solutions", root / "hidden", root / "tests"};
  std::vector<fs::path> wanted = instructor;
  wanted.push_back(options_.work_dir);
  for (auto& p : options_.also_hidden) wanted.push_back(fs::absolute(p).lexically_normal());
  std::vector<fs::path> needed = {root / "exercises", root / "runtime", root / "testing", options_.cache_dir,
                                  sandbox_root_};
  for (auto& w : wanted) {
    bool holds_needed = false;
    for (auto& n : needed) holds_needed |= is_same_or_inside(n, w);
    if (!holds_needed) hidden_.push_back(w);
  }
  if (!options_.sandbox.isolate || mount_isolation_available()) return;
  hidden_.clear();
  if (running_as_root() && options_.sandbox.drop_privileges) {
    closed_ = std::make_unique<ClosedFolders>(instructor);
    std::cerr << "note: no mount namespaces on this host: solutions/, hidden/ and tests/ are closed to "
                 "others while grading (modes restored at the end); other submissions stay readable.\n";
  } else {
    std::cerr << "warning: no mount namespaces and not root: student code can read solutions/ and hidden/.\n";
  }
}

// This submission's sandbox: the common hidden folders, and the folder the
// submission came from (other submissions beside it); its own work folder
// stays visible inside the hidden work root.
Sandbox Grader::sandbox_for(const fs::path& submission, const fs::path& work) const {
  Sandbox s = options_.sandbox;
  if (hidden_.empty()) return s;
  s.hidden_paths = hidden_;
  fs::path source = fs::absolute(submission).lexically_normal();
  std::vector<fs::path> needed = {options_.course_root / "exercises", options_.course_root / "runtime",
                                  options_.course_root / "testing", options_.cache_dir, sandbox_root_, work};
  for (const fs::path& candidate : {source.parent_path(), source}) {
    bool holds_needed = false;
    for (auto& n : needed) holds_needed |= is_same_or_inside(n, candidate);
    if (!holds_needed) {
      s.hidden_paths.push_back(candidate);
      break;
    }
  }
  s.kept_paths = {work};
  return s;
}

namespace {

// Every selected exercise "not graded", each item saying why (the whole
// submission was refused).
std::vector<ExerciseResult> not_graded(const std::vector<const Exercise*>& selected, const std::string& why) {
  std::vector<ExerciseResult> out;
  for (auto* e : selected) {
    ExerciseResult r;
    r.exercise = e;
    r.status = "not graded";
    r.summary = why;
    r.items.push_back({"public tests", ItemKind::public_test, 0, e->points.public_tests, false, why, 0, ""});
    r.items.push_back({"hidden tests", ItemKind::hidden_test, 0, e->points.hidden_tests, false, why, 0, ""});
    GradeItem race = race_item(*e);
    race.output = why;
    r.items.push_back(race);
    out.push_back(std::move(r));
  }
  return out;
}

// The grader failed on one exercise: not the student's fault, so the points
// stay in the maximum and the submission is flagged for re-grading.
ExerciseResult grader_error(const Exercise& e, const std::string& what) {
  ExerciseResult r = std::move(not_graded({&e}, "internal error of the grader, not the student's fault: " + what)[0]);
  r.status = "grader error";
  r.host_problem = true;
  return r;
}

}  // namespace

std::vector<const Exercise*> Grader::selected_for(const std::vector<std::string>& only) const {
  if (only.empty()) return selected_;
  std::vector<const Exercise*> selected;
  for (auto* e : select_exercises(manifest_, only))
    if (std::find(selected_.begin(), selected_.end(), e) != selected_.end()) selected.push_back(e);
  return selected;
}

// The folder holding the submission's files: itself, or its archive unpacked
// (under the sandbox) into the work folder. Throws what refuses it.
fs::path Grader::unpack(const fs::path& submission, const fs::path& work) {
  if (!fs::exists(submission)) throw UserError(submission.string() + " does not exist");
  if (!fs::is_regular_file(submission)) return submission;
  if (!is_archive(submission))
    throw UserError(submission.filename().string() + " is neither a folder nor a .zip/.tar.gz archive");
  fs::path folder = work / "unpacked";
  UidLease lease(*uids_);
  extract_archive(submission, folder, lease.applied_to(sandbox_for(submission, work)));
  return folder;
}

// The exercises, `exercise_jobs` at a time, each under a uid of its own.
void Grader::grade_exercises(const std::vector<const Exercise*>& selected, const SubmissionScan& scan,
                             const fs::path& work, const Sandbox& sandbox, SubmissionResult& result) {
  fs::path overlay = work / "overlay";
  fs::create_directories(overlay);
  result.exercises.resize(selected.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < selected.size(); i = next++) {
      try {
        UidLease lease(*uids_);
        result.exercises[i] = grade_exercise(*selected[i], scan, overlay, work, lease.applied_to(sandbox));
      } catch (const std::exception& ex) {
        result.exercises[i] = grader_error(*selected[i], ex.what());
      }
    }
  };
  int workers = std::max(1, std::min<int>(options_.exercise_jobs, static_cast<int>(selected.size())));
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

// A submission, top to bottom: intake (unpack, find the student files), then
// each exercise (build, run, verdict); reports are the caller's.
SubmissionResult Grader::grade(const fs::path& submission, const std::string& name,
                               const std::vector<std::string>& only) {
  double start = now_seconds();
  std::vector<const Exercise*> selected = selected_for(only);
  SubmissionResult result;
  result.name = name;
  result.source = submission;
  result.show_hidden_names = options_.show_hidden_names;
  if (plain_) result.compiler = plain_->compiler();
  fs::path work = options_.work_dir / (name + "-" + random_token(4));
  fs::remove_all(work);
  fs::create_directories(work);
  fs::permissions(work, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  try {
    fs::path folder = unpack(submission, work);
    SubmissionScan scan = scan_submission(folder, manifest_);
    result.found = scan.where_found(selected);
    result.notes = scan.notes;
    result.ignored = scan.ignored;
    result.ignored_total = scan.ignored_total;
    grade_exercises(selected, scan, work, sandbox_for(submission, work), result);
  } catch (const std::exception& e) {
    result.rejected = e.what();
    result.exercises = not_graded(selected, result.rejected);
  }
  for (auto& e : result.exercises) result.host_problem |= e.host_problem;
  if (!options_.keep_work) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  result.seconds = now_seconds() - start;
  return result;
}

// Where the instructor's tree has it, one program holds both test sources:
// a submission then links one program per variant instead of two, and each
// run selects its list of test cases. The lists come from the skeleton's
// program by source file (checked once: each list selects exactly itself).
// Otherwise the public and hidden programs, built from the skeleton when first
// needed.
TestPlan Grader::plan_tests(const Exercise& e) {
  TestPlan plan;
  plan.public_target = e.key + "_student_public";
  plan.hidden_target = e.key + "_student_hidden";
  plan.both_target = e.key + "_student_tests";
  std::string error;
  if (plain_->has_target(plan.both_target)) {
    plan.public_names = plain_->test_names(plan.both_target, error, "[#public_test]");
    plan.hidden_names = plain_->test_names(plan.both_target, error, "[#hidden_test]");
    plan.one_program = !plan.public_names.empty() && !plan.hidden_names.empty() &&
                       plain_->selects_exactly(plan.both_target, {plan.public_names, plan.hidden_names});
    if (plan.one_program) {
      plan.has_hidden = true;
      return plan;
    }
    std::lock_guard guard(warned_mutex_);
    if (warned_.insert(e.key).second)
      std::cerr << "note: " << e.id << " is graded with two programs per variant (slower): the "
                << "instructor build's " << plan.both_target << " cannot be used. Its public and hidden "
                << "tests must compile as one translation unit (no helper defined in both) and "
                << "name their test cases apart. See exercises/FRAMEWORK.md.\n";
  }
  plan.has_hidden = plain_->has_target(plan.hidden_target);
  std::vector<std::string> programs = {plan.public_target};
  if (plan.has_hidden) programs.push_back(plan.hidden_target);
  std::string build_error;
  plain_->ensure_built(programs, build_error);
  if (tsan_) tsan_->ensure_built(programs, build_error);
  auto names_of = [&](const std::string& target) {
    auto names = plain_->test_names(target, error);
    if (names.empty())
      throw UserError("instructor build: " + error + (build_error.empty() ? "" : "\n" + build_error));
    return names;
  };
  plan.public_names = names_of(plan.public_target);
  plan.hidden_names = plan.has_hidden ? names_of(plan.hidden_target) : std::vector<std::string>{};
  return plan;
}

// One exercise, top to bottom: not submitted, or built; run plain, then
// under the seeded schedules; run under ThreadSanitizer when the plain runs allow; then the verdict.
ExerciseResult Grader::grade_exercise(const Exercise& e, const SubmissionScan& scan, const fs::path& overlay,
                                      const fs::path& work, const Sandbox& sandbox) {
  ExerciseResult r;
  r.exercise = &e;
  const TestPlan plan = plan_tests(e);
  if (!plan.has_hidden && e.points.hidden_tests > 0)
    r.notes.push_back("this exercise has no hidden tests in the instructor's tree: its hidden points are not counted");
  r.public_total = static_cast<int>(plan.public_names.size());
  r.hidden_total = static_cast<int>(plan.hidden_names.size());
  SubmissionBuilder builder(work / "build", overlay, sandbox, options_.compile_timeout);
  if (options_.check_symbols) builder.check_symbols_with(SymbolPolicy::built_in().allowing(e.allow_symbols));
  ExerciseGrading grading(options_, e, plan, overlay, sandbox, sandbox_root_, builder);
  if (!scan.has_any(e)) {
    r.status = "not submitted";
    r.summary = scan.why_not_submitted(e);
    grading.zero_items(r, "not submitted");
    return r;
  }
  for (auto& note : build_overlay(plain_->student_dir(), scan, e, overlay)) r.notes.push_back(note);
  VariantPrograms programs = grading.build(*plain_);
  if (programs.refused()) {
    grading.refuse(r, programs);
    return r;
  }
  if (programs.host_failure) {
    grading.host_problem(r, programs);
    return r;
  }
  if (!programs.ok(plan)) {
    grading.compile_error(r, programs.failed_log());
    return r;
  }
  VariantRuns plain = grading.run(programs, Variant::plain, e.points.public_tests, e.points.hidden_tests);
  grading.run_schedules(r, programs, plain, manifest_.schedules_for(e, options_.schedules));
  grading.record_plain(r, plain);
  GradeItem race = grading.race_check(r, plain, tsan_.get());
  if (r.status == "refused") return r;  // refused in the ThreadSanitizer build only
  r.items.push_back(race);
  grading.decide_status(r, plain, race);
  return r;
}

}  // namespace grader
