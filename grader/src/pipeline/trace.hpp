// Tracing one exercise of a graded submission (`./course trace EXERCISE
// --submission PATH`): the grading pipeline's own stages (intake, overlay,
// the build from the grading cache, the sandboxed run) with the test program
// run once under GOC_TRACE, hidden tests included. Grader::trace() is the
// entry; drawing the timeline is student/trace_command's.
#pragma once

#include <string>
#include <vector>

#include "exercise.hpp"
#include "grade.hpp"
#include "testrun.hpp"

namespace grader {

/// What Grader::trace() runs and where the trace goes.
struct TraceRequest {
  /// Test cases to run, by their exact names; empty: the list below.
  std::vector<std::string> tests;
  /// Without `tests`: "public" or "hidden" runs that list alone, as grading
  /// runs it (one process per list, so a seeded schedule replays what
  /// grading saw); empty: every public and hidden test case in one process
  /// (where one program holds both lists).
  std::string list;
  std::string schedule;  ///< GOC_SCHEDULE ("random:7", "pct:3:2"); empty: none
  fs::path trace_file;   ///< where the runtime's trace (JSON) is put; its folder must exist
};

/// One traced run of an exercise's test program.
struct TracedRun {
  TestRun run;
  std::vector<std::string> tests;  ///< the test cases it ran
  bool traced = false;             ///< the program wrote a trace, now at TraceRequest::trace_file
};

/// The test cases a trace runs: `wanted` when given, else the plan's list
/// named by `list` ("public", "hidden"; empty: both), all of them in one of
/// the plan's programs. A UserError names a test case the exercise does not
/// have (listing those it has), or says to pick one list when the wanted
/// ones are in two programs.
std::vector<std::string> tests_to_trace(const TestPlan& plan, const std::vector<std::string>& wanted,
                                        const std::string& list, const std::string& exercise_id);

/// Which of `programs` runs `tests` (tests_to_trace() chose them in one).
const BuildOutcome& program_running(const TestPlan& plan, const VariantPrograms& programs,
                                    const std::vector<std::string>& tests);

/// Why a built exercise cannot be traced (refused, did not compile, the
/// host failed to build it), in words for the instructor; empty when it can.
std::string why_not_traceable(const VariantPrograms& programs, const TestPlan& plan, const fs::path& overlay);

}  // namespace grader
