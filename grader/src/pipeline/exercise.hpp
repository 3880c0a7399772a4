// Grading one exercise of one submission, in the order a reader meets it:
// build the student's programs, run the public and hidden tests plain, run
// them again under ThreadSanitizer, then decide the status and the summary.
// Grader::grade_exercise() drives these steps; each keeps to one job.
#pragma once

#include <string>
#include <vector>

#include "builder.hpp"
#include "grade.hpp"
#include "testrun.hpp"

namespace grader {

/// Which programs of the instructor's build run an exercise's test cases,
/// and the public and hidden lists (see Grader::plan_tests()).
struct TestPlan {
  std::string public_target, hidden_target, both_target;
  std::vector<std::string> public_names, hidden_names;
  bool has_hidden = false;
  bool one_program = false;  ///< both_target runs each list; else one program per list
};

/// A variant's public and hidden programs (the same binary when one program
/// holds both lists).
struct VariantPrograms {
  BuildOutcome public_program, hidden_program;
  bool host_failure = false;  ///< failed twice for a reason of the host (not the student's)
  /// The host failure is that clang++ refused a file g++ accepts (BuildOutcome).
  bool compilers_disagree() const {
    return public_program.compilers_disagree || hidden_program.compilers_disagree;
  }
  bool refused() const { return public_program.refused || hidden_program.refused; }
  bool ok(const TestPlan& plan) const { return public_program.ok && (!plan.has_hidden || hidden_program.ok); }
  const std::string& failed_log() const { return public_program.ok ? hidden_program.log : public_program.log; }
};

/// One list of test cases run in one variant, and what was made of it.
struct ListRun {
  TestRun run;
  Evaluation evaluation;
};

/// The public and hidden lists of one variant.
struct VariantRuns {
  ListRun public_tests, hidden_tests;
  bool timed_out() const { return public_tests.run.run.timed_out || hidden_tests.run.run.timed_out; }
  bool all_passed() const { return public_tests.evaluation.all_passed && hidden_tests.evaluation.all_passed; }
  bool leaks() const { return public_tests.evaluation.leaks || hidden_tests.evaluation.leaks; }
};

/// The exercise's race-detector item, not yet awarded.
GradeItem race_item(const Exercise& e);

/// What a student may see of a hidden test before grades are published:
/// its name at most (GradeOptions::show_hidden_names), never its text.
std::string hidden_test_label(const std::string& name, bool show_name);

/// The steps of grading one exercise, sharing what they all need.
class ExerciseGrading {
 public:
  ExerciseGrading(const GradeOptions& options, const Exercise& e, const TestPlan& plan, const fs::path& overlay,
                  const Sandbox& sandbox, const fs::path& sandbox_root, SubmissionBuilder& builder);

  /// The variant's programs; a build the host made fail is tried once more.
  VariantPrograms build(InstructorBuild& ib);
  /// Runs both lists of `variant` with its time and memory limits.
  VariantRuns run(const VariantPrograms& programs, Variant variant, double points_public, double points_hidden);
  /// Runs both lists again under each of the first `count` fixed schedules
  /// (the plain programs, one process per list and schedule): a test case
  /// that fails under one fails in `plain` too. A note in `r` says how many
  /// passed and which failed; a schedule run the host kept from starting
  /// flags `r` for re-grading and counts against nobody.
  void run_schedules(ExerciseResult& r, const VariantPrograms& programs, VariantRuns& plain, int count);
  /// The plain runs' items, counts and goroutine dump (of a deadlock or the time limit) into `r`.
  void record_plain(ExerciseResult& r, const VariantRuns& plain) const;
  /// The race item: runs the ThreadSanitizer variant when the plain runs allow.
  GradeItem race_check(ExerciseResult& r, const VariantRuns& plain, InstructorBuild* tsan);
  /// The status word and the summaries, for the student and the instructor.
  void decide_status(ExerciseResult& r, const VariantRuns& plain, const GradeItem& race) const;
  /// Items worth nothing, each saying `why` (not submitted, did not compile).
  void zero_items(ExerciseResult& r, const std::string& why) const;
  /// "did not compile": the compiler's explanation and zero items.
  void compile_error(ExerciseResult& r, const std::string& log) const;
  /// The symbol check refused a student file: the whole exercise scores 0,
  /// whichever variant it was refused in.
  void refuse(ExerciseResult& r, const VariantPrograms& programs) const;
  /// The host could not build the student's code: flagged, not scored as theirs.
  void host_problem(ExerciseResult& r, const VariantPrograms& programs) const;

 private:
  VariantPrograms build_once(InstructorBuild& ib);
  ListRun run_list(const BuildOutcome& program, const std::vector<std::string>& names, ItemKind kind,
                   Variant variant, double points, const std::string& schedule = "");
  enum class ScheduleOutcome { passed, failed, stopped, host_error };
  /// One schedule's runs of both lists, folded into `plain`.
  ScheduleOutcome run_schedule(const VariantPrograms& programs, VariantRuns& plain, const std::string& schedule,
                               std::string& host_why);
  void judge_races(ExerciseResult& r, const VariantRuns& plain, const VariantRuns& tsan, GradeItem& race) const;
  /// `first_problem` of an evaluation, as a student may see it.
  std::string visible_problem(const Evaluation& ev, ItemKind kind) const;

  const GradeOptions& options_;
  const Exercise& e_;
  const TestPlan& plan_;
  const fs::path& overlay_;
  const Sandbox& sandbox_;
  const fs::path& sandbox_root_;
  SubmissionBuilder& builder_;
};

}  // namespace grader
