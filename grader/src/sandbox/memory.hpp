// The memory limit of a sandboxed program: RSS sampling of all its processes
// from the grader's wait loop, and the group killed when their sum is over.
#pragma once

#include <sys/types.h>

#include <string>

#include "util.hpp"

namespace grader {

/// "1 GiB", "1.5 GiB", "512 MiB".
std::string describe_bytes(long bytes);

/// Parses "2G", "2GiB", "1536M", "512MiB" or a number of bytes; throws
/// UserError with the accepted forms otherwise.
long parse_memory_size(const std::string& text);

/// Samples the resident memory of a program's processes: those of the
/// session and process group `leader` made, and (when the program runs as a
/// uid of its own) every process of that uid, which catches a child that
/// left the session. The leader itself (a fork of the grader that only
/// waits) is not counted. About every 100 ms; one read of /proc/<pid>/stat
/// per process on the host.
class MemoryWatch {
 public:
  MemoryWatch(pid_t leader, long limit_bytes, long uid_or_minus_one);
  /// True once the sum went over the limit (sampled at most every 100 ms).
  bool over_limit(double now);

 private:
  long resident_bytes() const;

  pid_t leader_;
  long limit_;
  long uid_;
  double next_sample_ = 0;
  bool over_ = false;
};

}  // namespace grader
