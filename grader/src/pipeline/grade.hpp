// Grading a submission: lay its student files over the instructor's tree,
// build each exercise on its own, run public and hidden tests plain and under
// ThreadSanitizer, and score with the manifest's points.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "builder.hpp"
#include "catch_report.hpp"
#include "manifest.hpp"
#include "process.hpp"
#include "isolation.hpp"
#include "uids.hpp"

namespace grader {
struct TestPlan;
struct TraceRequest;  // pipeline/trace.hpp
struct TracedRun;
}

namespace grader {

enum class ItemKind { public_test, hidden_test, race };

/// At most this much of a program's output is kept for a hidden test (it is
/// shown only after grades are published).
constexpr std::size_t kHiddenOutputCap = 500;

/// One line of the grade: a test case, or an exercise's race-detector run.
struct GradeItem {
  std::string name;
  ItemKind kind = ItemKind::public_test;
  double score = 0;
  double max_score = 0;
  bool passed = false;
  std::string output;  ///< why it failed (or notes), for the student
  double seconds = 0;
  std::string schedule;  ///< the first seeded schedule (GOC_SCHEDULE) it failed under, if any
};

struct ExerciseResult {
  const Exercise* exercise = nullptr;
  std::string status;           ///< "passed", "failed", "compile error", "not submitted", ...
  std::string summary;          ///< one line: what went wrong first, as the student may see it
  std::string full_summary;     ///< the same for the instructor (may name hidden tests' lines)
  std::string details;          ///< compiler errors, deadlock dump, race summary ... (student's to see)
  std::string hidden_details;   ///< what came from hidden tests only (after grades are published)
  std::vector<GradeItem> items;
  int public_passed = 0, public_total = 0, hidden_passed = 0, hidden_total = 0;
  std::string races = "-";      ///< "clean", "RACE", "not run", "host error"
  bool leaks = false;
  bool host_problem = false;    ///< the machine could not run part of the grading
  std::vector<std::string> notes;

  double score() const;
  double max_score() const;
};

struct SubmissionResult {
  std::string name;
  fs::path source;
  std::vector<ExerciseResult> exercises;
  std::vector<std::string> found;    ///< where each student file was found ("<id>: wait.cpp found at ...")
  std::vector<std::string> notes;    ///< about the submission as a whole (files not taken, and why)
  std::vector<std::string> ignored;
  std::size_t ignored_total = 0;
  std::string rejected;         ///< the whole submission was refused (e.g. unsafe archive)
  bool host_problem = false;
  bool show_hidden_names = true;  ///< GradeOptions::show_hidden_names, for the student's report
  fs::path compiler;              ///< what compiled the student files (the instructor's report says)
  double seconds = 0;

  double score() const;
  double max_score() const;
};

struct GradeOptions {
  fs::path course_root;
  fs::path cache_dir;           ///< instructor builds: <cache>/plain, <cache>/tsan
  fs::path work_dir;            ///< per-submission scratch
  /// `--compiler`: what the caches and student files are compiled with
  /// ("auto": clang++ where it builds ThreadSanitizer programs, else c++;
  /// see compile/compiler_choice.hpp).
  std::string compiler = "auto";
  std::vector<std::string> only;  ///< exercise filter
  double timeout_plain = 30;    ///< seconds per test program
  double timeout_tsan = 120;
  double compile_timeout = 180;
  bool race_detector = true;
  /// `--schedules N`: how many of the fixed seeded schedules every exercise's
  /// tests also run under; none: the manifest's number (Manifest::schedules_for).
  std::optional<int> schedules;
  /// Refuse student objects whose symbols or source leave the allow-list
  /// (compile/symbol_check). Off only to test the other layers on their own.
  bool check_symbols = true;
  /// Whether the student's report names hidden tests that failed before
  /// grades are published (never their text or output).
  bool show_hidden_names = true;
  int jobs = 2;                 ///< parallel builds of the instructor caches
  int exercise_jobs = 2;        ///< exercises of one submission graded at once
  bool quiet = false;
  bool keep_work = false;
  /// Resident memory per test program, all its processes together (see
  /// README: measured peaks of the course's programs are about 5 MB plain and
  /// 80 MB under ThreadSanitizer).
  long max_memory_plain = 1L << 30;
  long max_memory_tsan = 2L << 30;
  /// Grade even where student code cannot be sandboxed (the uid nobody cannot
  /// reach the course, cache or work folder): it then runs as root, without
  /// the thread limit. Only for code one trusts.
  bool unsafe_no_sandbox = false;
  /// More folders student code must not see (e.g. where reports are written).
  std::vector<fs::path> also_hidden;
  Sandbox sandbox;
};

class Grader {
 public:
  explicit Grader(GradeOptions options);
  ~Grader();

  /// Loads the manifest and builds the instructor caches (once).
  void prepare();
  const Manifest& manifest() const { return manifest_; }
  const std::vector<const Exercise*>& exercises() const { return selected_; }
  const GradeOptions& options() const { return options_; }

  /// Grades a folder or an archive. Never throws for the submission's faults:
  /// they end up in the result.
  /// `only` narrows the prepared exercises further for this submission.
  SubmissionResult grade(const fs::path& submission, const std::string& name,
                         const std::vector<std::string>& only = {});

  /// Builds exercise `e` of `submission` as grade() does and runs its test
  /// program once in the sandbox with GOC_TRACE (pipeline/trace.hpp).
  TracedRun trace(const fs::path& submission, const Exercise& e, const TraceRequest& request);

 private:
  std::vector<const Exercise*> selected_for(const std::vector<std::string>& only) const;
  fs::path unpack(const fs::path& submission, const fs::path& work);
  void grade_exercises(const std::vector<const Exercise*>& selected, const struct SubmissionScan& scan,
                       const fs::path& work, const Sandbox& sandbox, SubmissionResult& result);
  TestPlan plan_tests(const Exercise& e);
  ExerciseResult grade_exercise(const Exercise& e, const struct SubmissionScan& scan,
                                const fs::path& overlay, const fs::path& work, const Sandbox& sandbox);

  GradeOptions options_;
  Manifest manifest_;
  std::vector<const Exercise*> selected_;
  std::unique_ptr<InstructorBuild> plain_, tsan_;
  fs::path sandbox_root_;
  std::unique_ptr<UidPool> uids_;
  /// Folders hidden from every run (solutions/, hidden/, tests/, the work
  /// root, also_hidden); each submission adds its own (see sandbox_for()).
  std::vector<fs::path> hidden_;
  /// The fallback without mount namespaces (see isolation.hpp).
  std::unique_ptr<ClosedFolders> closed_;
  void check_sandbox_can_run();
  void plan_hidden_folders();
  Sandbox sandbox_for(const fs::path& submission, const fs::path& work) const;
  std::mutex warned_mutex_;
  std::set<std::string> warned_;  ///< exercises the instructor was warned about
};

/// A submission's display name: the folder's name, or the archive's without extension.
std::string submission_name(const fs::path& submission);

/// True when the user `nobody` can read `path` (and enter it, if a folder),
/// so privileges can be dropped.
bool nobody_can_read(const fs::path& path);

/// The first folder on the way to `path` (or `path` itself) that nobody
/// cannot enter or read, or empty if there is none.
fs::path first_closed_to_nobody(const fs::path& path);

}  // namespace grader
