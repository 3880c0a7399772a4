// Running one Catch2 test program under the sandbox and judging its results
// against the list of test cases it must report.
#pragma once

#include <string>
#include <vector>

#include "catch_report.hpp"
#include "grade.hpp"
#include "process.hpp"

namespace grader {

struct TestRun {
  RunResult run;
  CatchRun report;
  bool host_error = false;   ///< ThreadSanitizer could not start on this machine
  std::string host_advice;
};

/// Runs `binary` in a fresh folder under `sandbox_root` with the XML report
/// written to an unguessable path; retries a ThreadSanitizer start-up failure
/// without address randomisation (what `setarch -R` does). With `only`, runs
/// just those test cases (Catch2's --input-file, written where the student's
/// code cannot change it).
TestRun run_tests(const fs::path& binary, double timeout, const Sandbox& sandbox, const fs::path& sandbox_root,
                  const std::vector<std::string>* only = nullptr);

/// Why a test case has no result: what ended the program before it reported.
std::string why_unfinished(const TestRun& t, double timeout, const fs::path& overlay_root);

struct Evaluation {
  std::vector<GradeItem> items;
  int passed = 0;
  bool all_passed = true;
  bool leaks = false;
  std::string first_problem;
};

/// One item per expected test case: passed only when the report says so and
/// no goroutine leaked; a missing result is a failure.
Evaluation evaluate(const std::vector<std::string>& expected, const TestRun& t, ItemKind kind, double points,
                    double timeout, const fs::path& overlay_root);

}  // namespace grader
