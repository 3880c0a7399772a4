// The memory limit of a sandboxed program: a cgroup v2 memory.max where the
// grader can make one, otherwise RSS sampling of all its processes from the
// grader's wait loop, and the group killed when their sum is over.
#pragma once

#include <vector>

#include <sys/types.h>

#include <string>

#include "util.hpp"

namespace grader {

/// "1 GiB", "1.5 GiB", "512 MiB".
std::string describe_bytes(long bytes);

/// Parses "2G", "2GiB", "1536M", "512MiB" or a number of bytes; throws
/// UserError with the accepted forms otherwise.
long parse_memory_size(const std::string& text);

/// A cgroup v2 with memory.max for one run, where the host has delegated the
/// memory controller to the grader's own cgroup (its cgroup.subtree_control
/// lists "memory"); elsewhere (cgroups v1, no delegation) it stays inactive
/// and the grader samples instead. The kernel then enforces the limit.
class MemoryCgroup {
 public:
  explicit MemoryCgroup(long limit_bytes);
  ~MemoryCgroup();  ///< removes the cgroup (its processes are gone by then)
  MemoryCgroup(const MemoryCgroup&) = delete;
  MemoryCgroup& operator=(const MemoryCgroup&) = delete;
  bool active() const { return procs_fd_ >= 0; }
  /// In the forked program before exec: moves it in. Async-signal-safe.
  bool join() const;
  /// Whether the kernel killed a process of it for going over the limit.
  bool oom_killed() const;

 private:
  fs::path dir_;
  int procs_fd_ = -1;
};

/// Samples the resident memory of a program's processes: every descendant
/// of the group leader `leader` (a process that leaves the session or
/// process group is still one). Not by uid: nobody is shared with daemons and
/// with graders of other versions. Every 100 ms it reads the resident size of
/// the processes it knows (one small read each); every 500 ms it walks the
/// host's /proc again to find the descendants (one read per process on the
/// host), so a process started in between is counted within half a second.
class MemoryWatch {
 public:
  MemoryWatch(pid_t leader, long limit_bytes);
  /// True once the sum went over the limit.
  bool over_limit(double now);

 private:
  /// The leader's descendants and their resident bytes, from all of /proc.
  long scan_descendants();
  /// The resident bytes of the descendants found by the last scan.
  long known_resident_bytes() const;

  pid_t leader_;
  long limit_;
  double next_sample_ = 0, next_scan_ = 0;
  std::vector<long> known_;
  bool over_ = false;
};

}  // namespace grader
