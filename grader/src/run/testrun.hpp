// Running one Catch2 test program under the sandbox and judging its results
// against the list of test cases it must report.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
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
  std::string variant;       ///< RunWatch::variant: which run this was, for the messages
};

/// What a caller may tell run_tests() beyond the program: how the run is
/// named, who hears that it is still going, and when to give it up.
struct RunWatch {
  std::string variant;  ///< "plain" or "ThreadSanitizer": named when the run is out of time
  std::string label;    ///< "01-01 public tests": named in progress lines
  /// Gets "still running: <label> (<variant> run), 20 s of 30 s" every `every` seconds.
  std::function<void(const std::string&)> progress;
  double every = 10;
  const std::atomic<bool>* cancel = nullptr;  ///< see RunOptions::cancel
  std::string schedule;  ///< GOC_SCHEDULE for the program (goc's seeded schedules); empty: none
  std::string trace_file;  ///< GOC_TRACE for the program (the runtime's trace, `trace --submission`); empty: none
};

/// The signal that asks a test program for its goroutine dump at the time
/// limit (the goc runtime prints every goroutine on it, as Go does), and how
/// long it has to answer before it is killed.
constexpr int kDumpSignal = SIGQUIT;
constexpr double kDumpGraceSeconds = 2;

/// Runs `binary` in a fresh folder under `sandbox_root` with its XML report
/// sent through an inherited pipe (fd 3) the grader reads; retries a ThreadSanitizer start-up failure
/// without address randomisation (what `setarch -R` does). With `only`, runs
/// just those test cases (Catch2's --input-file, written where the student's
/// code cannot change it).
/// At the time limit the program gets kDumpSignal, then kDumpGraceSeconds
/// to print its goroutines, then SIGKILL.
TestRun run_tests(const fs::path& binary, double timeout, const Sandbox& sandbox, const fs::path& sandbox_root,
                  const std::vector<std::string>* only = nullptr, const RunWatch& watch = {});

/// "still running: 01-01 public tests (plain run), 20 s of 30 s".
std::string progress_line(const RunWatch& watch, double seconds, double timeout);

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
