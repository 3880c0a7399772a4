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
};

/// Parses the XML report. A cut-off report (a crash half-way) keeps the test
/// cases that finished before the cut.
CatchRun parse_catch_xml(const std::string& xml);

/// Test names from `--list-test-names-only` (v2) output.
std::vector<std::string> parse_name_list(const std::string& output);
/// Test names from `--list-tests --reporter xml` (v3) output.
std::vector<std::string> parse_xml_list(const std::string& output);

/// The contents of an `--input-file` that selects exactly the test cases
/// `names`: one quoted name per line, with `\`, `"` and `,` escaped (unescaped,
/// Catch2 reads a comma as "or" and a quote as the end of the name).
std::string input_file_selecting(const std::vector<std::string>& names);

}  // namespace grader
