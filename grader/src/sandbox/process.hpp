// Running programs: trusted tools (cmake, the compiler) and untrusted student
// code, with a wall-clock timeout, resource limits and an output cap.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// The uid/gid student code runs as when the grader is root (see Sandbox::uid).
constexpr unsigned kNobodyId = 65534;

struct Sandbox {
  bool enabled = false;        ///< apply the limits below at all
  int cpu_seconds = 60;        ///< RLIMIT_CPU (a spinning program)
  long max_file_bytes = 64L << 20;  ///< RLIMIT_FSIZE
  long max_threads = 3000;     ///< RLIMIT_NPROC (threads + processes; binds non-root only); 0 = none
  bool isolate = true;         ///< new network and PID namespaces where the kernel allows
  bool drop_privileges = true; ///< when root, run as `uid` so RLIMIT_NPROC binds
  /// That uid (the group is always nogroup): nobody, or one uid per exercise
  /// graded at the same time (UidPool), since RLIMIT_NPROC counts all of a
  /// uid's threads.
  unsigned uid = kNobodyId;
  bool no_aslr = false;        ///< personality(ADDR_NO_RANDOMIZE), what `setarch -R` does
  /// Folders the program must not see: with `isolate`, a private mount
  /// namespace covers them with an empty read-only tmpfs (isolation.hpp). If
  /// that cannot be set up the run does not start.
  std::vector<fs::path> hidden_paths;
  /// Folders inside hidden ones that stay visible (e.g. this submission's
  /// work folder inside the work root).
  std::vector<fs::path> kept_paths;
  /// Resident memory of all the program's processes together; over it the
  /// group is killed (memory.hpp). 0 = no limit.
  long max_memory_bytes = 0;
  /// Let the kernel enforce max_memory_bytes with a memory cgroup where the
  /// grader can make one; false samples the resident size instead, as on a
  /// host without one (tests use it to check that path).
  bool memory_cgroup = true;
};

struct RunOptions {
  std::vector<std::string> argv;
  fs::path cwd;
  std::vector<std::string> env;       ///< full environment; empty = inherit
  double timeout_seconds = 600;
  std::size_t output_cap = 256 * 1024;  ///< bytes of stdout+stderr kept
  Sandbox sandbox;
  /// Give the program the write end of a pipe as fd 3 (kReportFd) and collect
  /// what arrives on it in RunResult::report: a channel for the test report
  /// that is not a file anyone can find and rewrite.
  bool capture_report_fd = false;
  std::size_t report_cap = 32u << 20;  ///< bytes of the report kept
  /// At the time limit, first send this signal to the program's process group
  /// (the goc runtime answers SIGQUIT with a goroutine dump and exits), then
  /// SIGKILL whatever still runs `quit_grace_seconds` later. 0: SIGKILL at once.
  int quit_signal = 0;
  double quit_grace_seconds = 2;
  /// Called every `tick_seconds` while the program runs, with the seconds so far.
  std::function<void(double)> on_tick;
  double tick_seconds = 10;
  /// When set (by another thread), the run is stopped as if out of time but
  /// without the quit signal: its result is no longer wanted.
  const std::atomic<bool>* cancel = nullptr;
};

/// The fd number a program started with capture_report_fd writes its report to.
constexpr int kReportFd = 3;

struct RunResult {
  int exit_code = -1;        ///< when the program exited
  int signal = 0;            ///< when a signal ended it
  bool timed_out = false;
  bool cancelled = false;    ///< stopped because RunOptions::cancel was set
  bool output_truncated = false;
  bool isolated = false;     ///< the namespaces were set up
  bool memory_exceeded = false;  ///< killed for using more than max_memory_bytes
  long memory_limit = 0;     ///< the limit it went over
  std::string output;        ///< stdout and stderr interleaved, capped
  std::string report;        ///< what arrived on fd 3 (capture_report_fd), capped
  bool report_truncated = false;
  double seconds = 0;
  std::string start_error;   ///< exec failed: what and why

  bool ok() const {
    return !timed_out && !memory_exceeded && signal == 0 && exit_code == 0 && start_error.empty();
  }
  /// "exit status 2", "killed by signal 9 (Killed)", "timed out after 10 s",
  /// "used more than 1 GiB of memory and was stopped".
  std::string describe_end(double timeout) const;
};

RunResult run(const RunOptions& options);

/// The environment student programs get: PATH, HOME, LANG and TSAN_OPTIONS only.
std::vector<std::string> clean_environment(const fs::path& home);

bool running_as_root();

/// Finds an executable on PATH.
bool have_program(const std::string& name);
/// Where `name` is: itself when it holds a "/", else the first executable of
/// that name on PATH; empty when there is none.
fs::path program_path(const std::string& name);

}  // namespace grader
