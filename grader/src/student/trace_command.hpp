// `./course trace NAME`: runs an exercise's public tests (the student's code,
// as `check` does) or a lesson example with GOC_TRACE set, and draws the
// trace the runtime wrote as a timeline page (docs/tools/trace_view.py):
// trace.json for ui.perfetto.dev, trace.html for any browser. With
// `--submission PATH` (instructors) the exercise of a graded submission is
// built and run as grading does (pipeline/trace.hpp), hidden tests included.
#pragma once

#include <string>
#include <vector>

#include "manifest.hpp"
#include "student.hpp"

namespace grader {

/// What `trace` runs: an exercise's public tests or a lesson example.
struct TraceTarget {
  enum class Kind { exercise, example } kind = Kind::exercise;
  std::string id;      ///< "05-worker-pool/02-pool" or "02-channels/01-unbuffered-rendezvous"
  std::string target;  ///< the build target: "ex_05_02_student_public" or "lesson02_01_unbuffered_rendezvous"
};

/// The thing `name` names, leniently (names.hpp): an exercise first, as
/// `check` takes it, then a lesson example as `run` takes it. A UserError
/// says what to type when it names neither, or a whole lesson.
TraceTarget resolve_trace_target(const Manifest& m, const std::vector<std::string>& examples,
                                 const std::string& name);

/// The `trace` command that draws exercise `e` the way it was checked (the
/// same seeded schedule, `--seed N` for random:N), as a line of a failing
/// check's explanation.
std::string trace_command_text(const Exercise& e, const std::string& schedule);

/// Where the two files went and how to open them.
std::string trace_written_text(const fs::path& json, const fs::path& html, const std::string& summary);

/// `trace NAME [--seed N | --schedule SPEC]`: 0 when the timeline was drawn
/// (whether or not the traced program passed); a UserError says why not.
int cmd_trace(const StudentOptions& o, const std::string& name, const fs::path& out_dir);

/// The instructor's `trace EXERCISE --submission PATH`: which submission,
/// which of its tests, and the grading folders it builds in.
struct SubmissionTraceOptions {
  fs::path submission;             ///< a folder, .zip or .tar.gz, as `grade` takes it
  std::vector<std::string> tests;  ///< --test, exact names; empty: the list below
  std::string list;                ///< --list public|hidden: that list alone, as grading runs it; empty: both
  fs::path cache;                  ///< the grading cache (default build/grader-cache)
  fs::path work;                   ///< scratch (default build/grader-work)
  std::string compiler = "auto";   ///< as grade's --compiler (GradeOptions::compiler)
  bool keep_work = false;
  bool unsafe_no_sandbox = false;
};

/// `trace EXERCISE --submission PATH [--test NAME] [--seed N | --schedule
/// SPEC]`: builds the exercise of that submission as grading does (the
/// grading cache, the symbol check, the sandbox) and runs its public and
/// hidden tests, or the named ones, once with GOC_TRACE; then draws the
/// timeline as cmd_trace() does. 0 when it was drawn (whether or not the
/// tests passed); a UserError says why not (not submitted, refused, does not
/// compile, no such test).
int cmd_trace_submission(const StudentOptions& o, const std::string& name, const SubmissionTraceOptions& s,
                         const fs::path& out_dir);

}  // namespace grader
