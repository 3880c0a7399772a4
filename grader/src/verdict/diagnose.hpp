// Turning raw compiler, ThreadSanitizer and runtime output into short
// explanations that point at the student's own lines.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// Rewrites absolute paths under `overlay` (the graded copy) to `<id>/file`,
/// so reports name the student's files as the student knows them.
std::string tidy_paths(std::string text, const fs::path& overlay_root);

/// The compiler's errors, first few, with their code excerpts; link errors too.
std::string explain_compile_errors(const std::string& output, const fs::path& overlay_root);

struct RaceAccess {
  /// "Write of size 4 ... by thread T2" told in goroutines: "write by goroutine 7,
  /// started at sum.cpp:20" ("by the main goroutine" for the main thread)
  std::string what;
  std::string location;   ///< "sum.cpp:14" (the student's line when there is one)
  std::string code;       ///< that line of code, trimmed
};
struct RaceReport {
  std::string kind;       ///< "data race", "lock-order-inversion (potential deadlock)", ...
  std::vector<RaceAccess> accesses;  ///< usually two
};

/// Every ThreadSanitizer WARNING in `output`, each reduced to its two accesses,
/// preferring frames in `student_files` (paths under `overlay_root`).
std::vector<RaceReport> parse_tsan_reports(const std::string& output, const fs::path& overlay_root,
                                           const std::vector<std::string>& student_files);
std::string describe_races(const std::vector<RaceReport>& races);

bool has_tsan_warning(const std::string& output);
/// `FATAL: ThreadSanitizer` at start-up: the host's fault, not the program's.
bool has_tsan_fatal(const std::string& output);

/// The runtime's "all goroutines are asleep" message with its goroutine dump, or "".
std::string deadlock_dump(const std::string& output);
/// The goroutine dump the runtime printed on the time limit's signal
/// (run/testrun.hpp kDumpSignal), the first goroutines of it, or "".
std::string time_limit_dump(const std::string& output);
/// The runtime's panic message ("panic: ..." and where), or "".
std::string panic_message(const std::string& output);
/// Leaked goroutines reported by the Catch2 main, by test case name.
std::map<std::string, std::string> leaks_by_test(const std::string& output);

/// True when a compile or link failed for a reason of the host, not of the
/// code: the compiler could not fork, the machine ran out of memory or disk.
bool is_host_failure(const std::string& build_log);

/// Host advice when ThreadSanitizer cannot start even without address randomisation.
std::string tsan_host_advice(const std::string& fatal_output);

}  // namespace grader
