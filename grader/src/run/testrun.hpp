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

/// Runs `binary` in a fresh folder under `sandbox_root` with its XML report
/// sent through an inherited pipe (fd 3) the grader reads; retries a ThreadSanitizer start-up failure
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

/// ThreadSanitizer reported a race in this run: the test main's exit status
/// (66) says so, or its warning text arrived.
bool race_reported(const TestRun& t);
/// Exit status 66 without the warning text: the program hid its stderr.
bool race_text_hidden(const TestRun& t);

/// One item per expected test case: passed only when the report is believed
/// (verdict/catch_report.hpp cross_check: one complete report, every case
/// once, agreeing with the exit status), says so, and no goroutine leaked.
/// A run without a believable report fails every case.
Evaluation evaluate(const std::vector<std::string>& expected, const TestRun& t, ItemKind kind, double points,
                    double timeout, const fs::path& overlay_root);

}  // namespace grader
