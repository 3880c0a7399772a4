#include "cli.hpp"

namespace grader {

namespace {

void add_build_flags(CLI::App* cmd, StudentCommand& c) {
  cmd->add_option("--build-plain", c.options.build_plain, "Plain build folder (default build/plain)");
  cmd->add_option("--build-tsan", c.options.build_tsan, "ThreadSanitizer build folder (default build/tsan)");
  cmd->add_flag("--no-race", [&c](std::int64_t) { c.options.race_detector = false; }, "Skip the race-detector run");
  cmd->add_option("--timeout", c.options.timeout, "Seconds per test program")->capture_default_str();
  cmd->add_option("--schedules", c.options.schedules,
                  "Also run the public tests under this many of the fixed seeded schedules (random:1, pct:1:2, "
                  "random:2, ...) instead of the course's number; 0 for none")
      ->check(CLI::Range(0, kMaxSchedules));
}

// Instructors: trace an exercise of a graded submission, hidden tests included.
void add_submission_trace_flags(CLI::App* trace, SubmissionTraceOptions& s) {
  const char* group = "Instructors (a graded submission)";
  trace->add_option("--submission", s.submission,
                    "Trace this submission's exercise (a folder, .zip or .tar.gz, as grade takes it) built and "
                    "run as grading does: its public and hidden tests, in the sandbox")
      ->group(group);
  trace->add_option("--test", s.tests, "With --submission: only this test case (its exact name; repeatable)")
      ->allow_extra_args(false)  // one name each: the exercise may come after it
      ->group(group);
  trace->add_option("--list", s.list,
                    "With --submission: only the public or the hidden tests, in one process as grading runs them "
                    "(so a seeded schedule replays what grading saw)")
      ->check(CLI::IsMember({"public", "hidden"}))
      ->group(group);
  trace->add_option("--cache", s.cache, "With --submission: the grading cache (default build/grader-cache)")
      ->group(group);
  trace->add_option("--work", s.work, "With --submission: scratch folder (default build/grader-work)")->group(group);
  trace->add_option("--compiler", s.compiler, "With --submission: the compiler grading used (grade's --compiler)")
      ->capture_default_str()
      ->group(group);
  trace->add_flag("--keep-work", s.keep_work, "With --submission: keep the scratch folder")->group(group);
  trace->add_flag("--unsafe-no-sandbox", s.unsafe_no_sandbox,
                  "With --submission: run even when the user nobody cannot reach the course (student code then "
                  "runs as root; only for code you trust)")
      ->group(group);
}

void add_trace_command(CLI::App& app, StudentCommand& c) {
  c.trace = app.add_subcommand("trace", "Run an exercise's public tests or a lesson example with GOC_TRACE set "
                                        "and draw what each goroutine did as a timeline (trace.html, trace.json); "
                                        "instructors: with --submission PATH, an exercise of a graded "
                                        "submission, hidden tests included");
  c.trace->add_option("name", c.trace_name,
                      "An exercise, named as check takes it (05-worker-pool/01-pool, pool, 5/1), or a lesson "
                      "example as run takes it (02-channels/01-unbuffered-rendezvous)");
  c.trace->add_option_function<unsigned long long>(
      "--seed", [&c](unsigned long long seed) { c.options.schedule = "random:" + std::to_string(seed); },
      "Run under a seeded schedule (the one a failing `check --seed N` names): the same seed, the same timeline");
  c.trace->add_option("--schedule", c.options.schedule,
                      "A schedule as GOC_SCHEDULE takes it: random:SEED or pct:SEED:DEPTH[:STEPS]");
  c.trace->add_option("--out", c.trace_out, "Folder for trace.json and trace.html (default build/traces/NAME)");
  c.trace->add_option("--build-plain", c.options.build_plain, "Plain build folder (default build/plain)");
  c.trace->add_option("--timeout", c.options.timeout, "Seconds the program may run")->capture_default_str();
  add_submission_trace_flags(c.trace, c.trace_submission);
}

}  // namespace

std::unique_ptr<CLI::App> course_app(StudentCommand& c) {
  auto app = std::make_unique<CLI::App>(
      "The course's grader: check your exercises (students); grade, release and package the course (instructors)",
      kCourseCommand);
  app->require_subcommand(1);
  const char* name_it = "Exercise: its folder (exercises/01-goroutines/01-wait-dont-sleep/), id, short name "
                        "(wait-dont-sleep), numbers (1/1) or key (ex_01_01)";
  c.check = app->add_subcommand("check", "Build and check exercises (all, or the ones named)");
  c.check->add_option("exercise", c.check_only, std::string(name_it) + ", or a lesson (01-goroutines)");
  add_build_flags(c.check, c);
  c.check->add_option_function<unsigned long long>(
      "--seed", [&c](unsigned long long seed) { c.options.schedule = "random:" + std::to_string(seed); },
      "Run the tests under a seeded schedule (goroutines take turns in an order the seed fixes; "
      "the same seed replays a failure)");
  c.check->add_option("--schedule", c.options.schedule,
                      "A schedule as GOC_SCHEDULE takes it: random:SEED or pct:SEED:DEPTH[:STEPS]");
  c.watch = app->add_subcommand("watch", "Re-check the current exercise on every save");
  c.watch->add_flag("--poll", c.poll, "Poll for changes instead of file notifications (WSL, mounted drives)");
  add_build_flags(c.watch, c);
  c.hint = app->add_subcommand("hint", "Show the next hint of an exercise (default: the current one)");
  c.hint->add_option("exercise", c.hint_exercise, name_it);
  c.list = app->add_subcommand("list", "List the exercises with your progress");
  c.reset = app->add_subcommand("reset", "Put an exercise's files back to the skeleton (your version is kept in "
                                         ".progress/backup/)");
  c.reset->add_option("exercise", c.reset_exercise, name_it);
  c.run = app->add_subcommand("run", "Build and run one example program of a lesson (none named: list them)");
  c.run->add_option("example", c.run_example,
                    "Example: 01-goroutines/01-go-statement, lessons/01-goroutines/examples/01-go-statement.cpp, "
                    "go-statement or 1/1");
  c.run->add_option("--build-plain", c.options.build_plain, "Plain build folder (default build/plain)");
  add_trace_command(*app, c);
  return app;
}

int run_student_command(const fs::path& root, StudentCommand& c) {
  StudentOptions& so = c.options;
  so.course_root = root;
  if (so.build_plain.empty()) so.build_plain = root / "build" / "plain";
  if (so.build_tsan.empty()) so.build_tsan = root / "build" / "tsan";
  if (*c.check) return cmd_check(so, c.check_only);
  if (*c.watch) return cmd_watch(so, c.poll);
  if (*c.hint) return cmd_hint(so, c.hint_exercise);
  if (*c.list) return cmd_list(so);
  if (*c.reset) return cmd_reset(so, c.reset_exercise);
  if (*c.run) return cmd_run(so, c.run_example);
  if (*c.trace && !c.trace_submission.submission.empty())
    return cmd_trace_submission(so, c.trace_name, c.trace_submission, c.trace_out);
  if (*c.trace && !c.trace_submission.tests.empty())
    throw UserError("--test picks a test of a graded submission: give the submission with --submission PATH");
  if (*c.trace) return cmd_trace(so, c.trace_name, c.trace_out);
  return -1;
}

}  // namespace grader
