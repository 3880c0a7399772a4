// The run leader: a small program of its own (goc-run-leader) between the
// grader and every program it runs. The grader starts it with posix_spawn,
// which does not copy the grader's page tables (a fork of the multi-threaded
// grader did, and every page the grader wrote afterwards then faulted, with a
// TLB flush on each of its cores). The leader reads what to run from its fd 0,
// makes its own session (and, sandboxed, its namespaces and mounts), forks the
// program, which sets its limits and identity and execs, and reports how the
// program ended on fd 0.
#pragma once

#include <string>
#include <vector>

#include "isolation.hpp"

namespace grader {

/// The leader's file descriptors, set up by the grader's posix_spawn.
namespace leader_fd {
constexpr int control = 0;  ///< a socket: the plan comes in, the end status goes out
constexpr int output = 1;   ///< the program's stdout and stderr
constexpr int error = 2;    ///< why the program could not start (text)
constexpr int report = 3;   ///< the test report pipe, when the plan says so (kReportFd)
constexpr int cgroup = 4;   ///< cgroup.procs of the run's memory cgroup, when the plan says so
constexpr int first_free = 5;
}  // namespace leader_fd

/// Everything the leader needs to start one program.
struct LeaderPlan {
  std::vector<std::string> argv;
  std::vector<std::string> env;  ///< the full environment; empty: the leader's own
  std::string cwd;
  int quit_signal = 0;       ///< ignored by the leader, default in the program
  bool report = false;       ///< fd 3 goes to the program
  bool join_cgroup = false;  ///< the program moves itself into the cgroup of fd 4
  // The sandbox (see Sandbox in process.hpp).
  bool sandboxed = false;
  bool isolate = false;
  bool drop_privileges = false;
  bool no_aslr = false;
  long cpu_seconds = 0;
  long max_file_bytes = 0;
  long max_threads = 0;
  long uid = 0;
  MountPlan mounts;
  long grader_pid = 0;  ///< the leader dies with it, and gives up if it is already gone
};

/// The plan as bytes for the control socket, and back. decode returns false
/// on bytes that are not a whole plan.
std::string encode_plan(const LeaderPlan& plan);
bool decode_plan(const std::string& bytes, LeaderPlan& plan);

/// The end status the leader sends back: the program's wait status, and
/// whether the namespaces were set up.
struct LeaderEnd {
  int wait_status = 0;
  int isolated = 0;
};

/// The leader's work, in goc-run-leader after the plan is read. Never returns.
[[noreturn]] void lead(const LeaderPlan& plan);

/// Where goc-run-leader is: beside the running program, else where this build
/// put it. Empty when neither exists.
fs::path leader_program();

}  // namespace grader
