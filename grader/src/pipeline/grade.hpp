// Grading a submission: lay its student files over the instructor's tree,
// build each exercise on its own, run public and hidden tests plain and under
// ThreadSanitizer, and score with the manifest's points.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "builder.hpp"
#include "catch_report.hpp"
#include "manifest.hpp"
#include "process.hpp"

namespace grader {
struct TestPlan;
}

namespace grader {

enum class ItemKind { public_test, hidden_test, race };

/// One line of the grade: a test case, or an exercise's race-detector run.
struct GradeItem {
  std::string name;
  ItemKind kind = ItemKind::public_test;
  double score = 0;
  double max_score = 0;
  bool passed = false;
  std::string output;  ///< why it failed (or notes), for the student
  double seconds = 0;
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
  std::vector<std::string> notes;
  std::vector<std::string> ignored;
  std::size_t ignored_total = 0;
  std::string rejected;         ///< the whole submission was refused (e.g. unsafe archive)
  bool host_problem = false;
  bool show_hidden_names = true;  ///< GradeOptions::show_hidden_names, for the student's report
  double seconds = 0;

  double score() const;
  double max_score() const;
};

struct GradeOptions {
  fs::path course_root;
  fs::path cache_dir;           ///< instructor builds: <cache>/plain, <cache>/tsan
  fs::path work_dir;            ///< per-submission scratch
  std::vector<std::string> only;  ///< exercise filter
  double timeout_plain = 30;    ///< seconds per test program
  double timeout_tsan = 120;
  double compile_timeout = 180;
  bool race_detector = true;
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
  Sandbox sandbox;
};

/// Uids for student code when the grader runs as root, one per exercise
/// graded at the same time. RLIMIT_NPROC counts all the threads of a uid, so
/// with one shared uid a thread bomb in one submission could take the threads
/// of another graded beside it, and that one's score would depend on timing.
/// The first uid is nobody's; the others come from a high range no account
/// uses (kSlotUidBase + i, skipping any the password database knows).
class UidPool {
 public:
  static constexpr unsigned kSlotUidBase = 0x7fff0000;
  unsigned acquire();
  void release(unsigned uid);

 private:
  std::mutex mutex_;
  std::set<unsigned> busy_;
};

/// Holds a uid of the pool for its lifetime.
class UidLease {
 public:
  explicit UidLease(UidPool& pool) : pool_(pool), uid_(pool.acquire()) {}
  ~UidLease() { pool_.release(uid_); }
  UidLease(const UidLease&) = delete;
  UidLease& operator=(const UidLease&) = delete;
  unsigned uid() const { return uid_; }
  /// `sandbox`, running its programs as this lease's uid.
  Sandbox applied_to(Sandbox sandbox) const {
    sandbox.uid = uid_;
    return sandbox;
  }

 private:
  UidPool& pool_;
  unsigned uid_;
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

 private:
  TestPlan plan_tests(const Exercise& e);
  ExerciseResult grade_exercise(const Exercise& e, const struct SubmissionScan& scan,
                                const fs::path& overlay, const fs::path& work, const Sandbox& sandbox);

  GradeOptions options_;
  Manifest manifest_;
  std::vector<const Exercise*> selected_;
  std::unique_ptr<InstructorBuild> plain_, tsan_;
  fs::path sandbox_root_;
  UidPool uids_;
  std::mutex warned_mutex_;
  std::set<std::string> warned_;  ///< exercises the instructor was warned about
};

/// A submission's display name: the folder's name, or the archive's without extension.
std::string submission_name(const fs::path& submission);

/// True when the user `nobody` can read `path` (so privileges can be dropped).
bool nobody_can_read(const fs::path& path);

}  // namespace grader
