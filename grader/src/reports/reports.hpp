// What grading writes: a terminal table, report.md, Gradescope's results.json,
// junit.xml, and gradebook.csv for a batch.
#pragma once

#include <string>
#include <vector>

#include "grade.hpp"

namespace grader {

/// The table printed after grading one submission.
std::string terminal_table(const SubmissionResult& s, const Colors& c);

std::string report_markdown(const SubmissionResult& s);
/// Gradescope's results.json (hidden tests' details visible `after_published`).
std::string results_json(const SubmissionResult& s);
std::string junit_xml(const SubmissionResult& s);
/// One row per submission, one column per exercise, then total.
std::string gradebook_csv(const std::vector<SubmissionResult>& all, const std::vector<const Exercise*>& exercises);

/// Writes report.md, results.json and junit.xml into `dir`.
void write_reports(const SubmissionResult& s, const fs::path& dir);

/// A results.json for when grading itself could not run (always write one).
std::string failure_results_json(const std::string& message);

}  // namespace grader
