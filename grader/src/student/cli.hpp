// The command line of the student commands. Students start the grader
// through `./course`, so help and usage lines name `./course`, never the
// grader's own path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "student.hpp"
#include "trace_command.hpp"

namespace grader {

/// What every help text calls the program.
inline constexpr const char* kCourseCommand = "./course";

struct StudentCommand {
  StudentOptions options;
  std::vector<std::string> check_only;
  bool poll = false;
  std::string hint_exercise, reset_exercise, run_example, trace_name;
  fs::path trace_out;
  SubmissionTraceOptions trace_submission;  ///< `trace --submission` (instructors)
  CLI::App *check = nullptr, *watch = nullptr, *hint = nullptr, *list = nullptr, *reset = nullptr,
           *run = nullptr, *trace = nullptr;
};

/// The grader's command line named `./course`, with the student commands;
/// the instructor commands are added by main().
std::unique_ptr<CLI::App> course_app(StudentCommand& c);

/// Runs the student command chosen on the command line; -1 when none was.
int run_student_command(const fs::path& root, StudentCommand& c);

}  // namespace grader
