// What grading writes: a terminal table, report.md, Gradescope's results.json,
// junit.xml, and gradebook.csv for a batch.
#pragma once

#include <string>
#include <vector>

#include "grade.hpp"

namespace grader {

/// The table printed after grading one submission.
std::string terminal_table(const SubmissionResult& s, const Colors& c);

/// Who reads a report. The student's report names a failed hidden test at
/// most (GradeOptions::show_hidden_names) and never quotes its text or output;
/// the instructor's shows everything.
enum class Audience { student, instructor };

/// report.md (student) or instructor-report.md. The instructor's gives each
/// exercise with a failing test the command that traces it
/// (submission_trace_command): the run of the list holding its first failing
/// hidden test, else its first failing public one, under the first seeded
/// schedule that test failed under.
std::string report_markdown(const SubmissionResult& s, Audience audience = Audience::student);
/// The command that traces the run of one list of tests ("public" or
/// "hidden") of exercise `exercise_id` in `submission` under `schedule`
/// (empty: none), as instructor-report.md prints it: "./course trace ID
/// --submission PATH --list hidden --seed 7" (the path made absolute, every
/// word quoted for a POSIX shell where it needs it).
std::string submission_trace_command(const std::string& exercise_id, const fs::path& submission,
                                     const std::string& list, const std::string& schedule);

/// Gradescope's results.json (hidden tests' details visible `after_published`).
std::string results_json(const SubmissionResult& s);
std::string junit_xml(const SubmissionResult& s);
/// One row per submission, one column per exercise, then total.
std::string gradebook_csv(const std::vector<SubmissionResult>& all, const std::vector<const Exercise*>& exercises);

/// Writes report.md, instructor-report.md, results.json and junit.xml into
/// `dir`, each on its own: one that fails does not stop the others. Returns
/// what could not be written (empty when all were).
std::vector<std::string> write_reports(const SubmissionResult& s, const fs::path& dir);

/// A results.json for when grading itself could not run (always write one):
/// score 0, and it says the fault is the grader's, not the student's.
std::string failure_results_json(const std::string& message);

}  // namespace grader
