// The student's commands: check, watch, hint, list, reset; progress kept in a
// git-ignored file at the course root.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "process.hpp"

namespace grader {

struct StudentOptions {
  fs::path course_root;
  fs::path build_plain;   ///< default <root>/build/plain (the plain preset's folder)
  fs::path build_tsan;    ///< default <root>/build/tsan
  bool race_detector = true;
  double timeout = 30;
  double tsan_timeout = 120;
  int jobs = 2;
  /// GOC_SCHEDULE for the test programs (a seeded, replayable schedule:
  /// "random:7", "pct:7:3"); empty for the operating system's.
  std::string schedule;
  /// `--schedules N`: how many of the fixed schedules (run/schedules.hpp)
  /// the public tests also run under, instead of the manifest's number.
  /// Not used with `schedule`, which runs that one schedule only.
  std::optional<int> schedules;
};

/// `check [EXERCISE]`: returns the process exit status (0 when all checked pass).
int cmd_check(const StudentOptions& o, const std::vector<std::string>& only);
int cmd_watch(const StudentOptions& o, bool poll);
int cmd_hint(const StudentOptions& o, const std::string& exercise);
int cmd_list(const StudentOptions& o);
int cmd_reset(const StudentOptions& o, const std::string& exercise);
/// `run [EXAMPLE]`: builds a lesson's example program and runs it in place of
/// the grader (its output and exit status are the program's); lists the
/// examples when none is named.
int cmd_run(const StudentOptions& o, const std::string& example);

// ---------------------------------------------------------------------------
// Parts of the commands' output, kept apart so that the unit tests reach them.

/// A failed test for the explanation under the table: its name, what it
/// printed without the blank lines at its end (a deadlock dump ends with
/// some), and one blank line after.
std::string failed_test_text(const std::string& name, std::string_view output);

/// Under a schedule, how to see a failure again: the check command that
/// replays it (`--seed N` for random:N, `--schedule SPEC` otherwise).
std::string schedule_replay_text(const Exercise& e, const std::string& schedule);

/// What the schedule runs of one check found.
struct ScheduleCheck {
  int planned = 0, ran = 0, passed = 0;
  bool host_error = false;  ///< a run could not start for a reason of the machine
  std::string text;         ///< the failure (with its replay command) or the host problem, for the student
};

/// Runs `binary` (a plain public-test program listing `names`) under each of
/// the first `count` fixed schedules (run/schedules.hpp) in turn, one process
/// each; the first that fails ends the series.
ScheduleCheck check_schedules(const StudentOptions& o, const Exercise& e, const fs::path& binary,
                              const std::vector<std::string>& names, const fs::path& scratch, int count);

/// The check table's Schedules cell: "-" when none ran (none asked for,
/// or the tests failed or did not build first), else "passed/planned"
/// ("1/4": the second failed and the rest were not run).
std::string schedules_cell(int planned, int ran, int passed);

/// The check table's Leaks cell: "-" when the code did not compile (nothing ran).
std::string leaks_cell(bool compiled, bool leaks);

/// What to do after a failing check. Under `watch` saving re-checks, so it
/// does not say to run `./course check` again.
std::string next_step_text(const Exercise& e, bool watching);

/// Why `watch` checks again: it started, a student file changed, or the last
/// exercise passed and the next one is up.
enum class WatchRound { first, after_change, next_exercise };
/// What `watch` prints before a check: on a terminal it clears the screen (the
/// new result replaces the old; not after a pass, whose news stays on screen);
/// otherwise a separator line, so a log keeps every round.
std::string watch_round_start(bool terminal, const std::string& exercise, WatchRound why);

enum class WatchKey { hint, list, quit, unknown };
WatchKey watch_key(char key);
/// The keys `watch` understands, for its prompt and for an unknown key.
std::string watch_keys_text();

/// The lesson examples under <root>/lessons: ids "01-goroutines/01-go-statement".
std::vector<std::string> lesson_examples(const fs::path& root);
/// The example `name` names, leniently (see names.hpp); a UserError saying
/// what to type otherwise.
std::string resolve_example(const std::vector<std::string>& examples, const std::string& name);
/// The build target of an example: "01-goroutines/01-go-statement" -> "lesson01_01_go_statement".
std::string example_target(const std::string& example);

}  // namespace grader
