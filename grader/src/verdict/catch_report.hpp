// Reading Catch2's XML reporter output (v2 and v3) and its test listings.
#pragma once

#include <string>
#include <vector>

namespace grader {

struct CaseResult {
  std::string name;
  bool passed = false;
  std::string message;  ///< why it failed: assertions, exceptions, fatal signals
  double seconds = 0;
};

struct CatchRun {
  bool readable = false;  ///< a report was found and at least partly parsed
  bool complete = false;  ///< the report ended properly (the program finished its run)
  std::vector<CaseResult> cases;
  int documents = 0;      ///< report documents in the text (more than one: forged)
  bool trailing = false;  ///< something other than white space after the first one's end
};

/// Parses the XML report. A cut-off report (a crash half-way) keeps the test
/// cases that finished before the cut.
CatchRun parse_catch_xml(const std::string& xml);

/// The exit statuses of the course's test main (testing/catch_main.cpp).
namespace test_exit {
constexpr int passed = 0;  ///< every test case passed, nothing leaked, no race
constexpr int failed = 1;  ///< a test case failed
constexpr int leaked = 3;  ///< goroutines outlived a test case
constexpr int raced = 66;  ///< ThreadSanitizer reported something
}  // namespace test_exit

/// How far one run's report can be believed, given how the program ended.
struct ReportCheck {
  enum class Trust {
    believed,    ///< one complete report that agrees with the exit status
    unfinished,  ///< no complete report: the program did not finish its run
    tampered,    ///< the report and the program's end cannot both be true
  };
  Trust trust = Trust::unfinished;
  std::string why;      ///< for tampered: what disagrees
  bool leaked = false;  ///< the test main said goroutines leaked (exit status 3)
  bool raced = false;   ///< the test main said ThreadSanitizer reported (exit status 66)
};

/// Cross-checks the report with the list of test cases it must hold exactly
/// once each and with the test main's exit status. `exited`: the program
/// ended by itself (not a signal, not the timeout), with `exit_code`.
ReportCheck cross_check(const CatchRun& report, const std::vector<std::string>& expected, bool exited,
                        int exit_code);

/// Test names from `--list-test-names-only` (v2) output.
std::vector<std::string> parse_name_list(const std::string& output);
/// Test names from `--list-tests --reporter xml` (v3) output.
std::vector<std::string> parse_xml_list(const std::string& output);

/// The contents of an `--input-file` that selects exactly the test cases
/// `names`: one quoted name per line, with `\`, `"` and `,` escaped (unescaped,
/// Catch2 reads a comma as "or" and a quote as the end of the name).
std::string input_file_selecting(const std::vector<std::string>& names);

}  // namespace grader
