// The memory limit of a sandboxed program: a memory cgroup (v2 memory.max or
// v1 memory.limit_in_bytes) where the grader can make one, otherwise RSS sampling of all its processes from the
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

/// A memory cgroup for one run, made beside the grader's own: under cgroup v2
/// with memory.max where the host delegated the memory controller to the
/// grader's cgroup (its cgroup.subtree_control lists "memory"), under a v1
/// memory hierarchy with memory.limit_in_bytes (and memsw, where swap is
/// accounted) where the grader may make one there (as root). The kernel then
/// enforces the limit. Elsewhere (no delegation, not root) it stays inactive
/// and the grader samples instead.
class MemoryCgroup {
 public:
  explicit MemoryCgroup(long limit_bytes);
  ~MemoryCgroup();  ///< removes the cgroup (its processes are gone by then)
  MemoryCgroup(const MemoryCgroup&) = delete;
  MemoryCgroup& operator=(const MemoryCgroup&) = delete;
  bool active() const { return procs_fd_ >= 0; }
  /// An open cgroup.procs of the cgroup: the program writes "0" to it before
  /// its exec to move itself in (see leader.hpp). -1 while inactive.
  int procs_fd() const { return procs_fd_; }
  /// Whether the kernel killed a process of it for going over the limit.
  bool oom_killed() const;
  /// 2 or 1 while active: which cgroup version enforces the limit.
  int version() const { return active() ? version_ : 0; }

 private:
  bool limit_v2(long limit_bytes) const;
  bool limit_v1(long limit_bytes) const;

  fs::path dir_;
  int version_ = 0;
  int procs_fd_ = -1;
};

/// Tells the grader's wait loop when a program went over its memory limit.
/// With an active MemoryCgroup it asks the kernel (has it killed a process of
/// the cgroup for memory?), since cgroup v1 kills only the largest process and
/// the rest of the group must go too. Otherwise it samples the resident memory
/// of the program's processes: every descendant of the group leader `leader`
/// (a process that leaves the session or process group is still one). Not by
/// uid: nobody is shared with daemons and with graders of other versions.
/// Every 100 ms it reads the resident size of the processes it knows (one
/// small read each); every 500 ms it walks the host's /proc again to find the
/// descendants (one read per process on the host), so a process started in
/// between is counted within half a second.
class MemoryWatch {
 public:
  MemoryWatch(pid_t leader, long limit_bytes, const MemoryCgroup& cgroup);
  /// True once the sum went over the limit.
  bool over_limit(double now);

 private:
  /// The leader's descendants and their resident bytes, from all of /proc.
  long scan_descendants();
  /// The resident bytes of the descendants found by the last scan.
  long known_resident_bytes() const;

  pid_t leader_;
  long limit_;
  const MemoryCgroup& cgroup_;
  double next_sample_ = 0, next_scan_ = 0;
  std::vector<long> known_;
  bool over_ = false;
};

}  // namespace grader
