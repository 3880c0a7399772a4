#include "memory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace grader {

namespace {

constexpr long kMiB = 1L << 20;

constexpr long kGiB = 1L << 30;

// Fields after the command name in /proc/<pid>/stat ("(name)" may hold spaces).
struct StatFields {
  long ppid = 0, pgrp = -1, session = -1, rss_pages = 0;
};

bool read_stat(const char* pid, StatFields& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* after_name = std::strrchr(buf, ')');
  if (!after_name) return false;
  // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
  long skip;
  char state;
  int got = std::sscanf(after_name + 1, " %c %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld",
                        &state, &out.ppid, &out.pgrp, &out.session, &skip, &skip, &skip, &skip, &skip, &skip, &skip,
                        &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &out.rss_pages);
  return got == 22;
}


}  // namespace

std::string describe_bytes(long bytes) {
  if (bytes >= kGiB) {
    double g = static_cast<double>(bytes) / kGiB;
    return format_points(std::round(g * 100) / 100) + " GiB";
  }
  return std::to_string(bytes / kMiB) + " MiB";
}

long parse_memory_size(const std::string& text) {
  std::string t = trim(text);
  std::size_t digits = 0;
  while (digits < t.size() && (std::isdigit(static_cast<unsigned char>(t[digits])) || t[digits] == '.')) ++digits;
  std::string unit = t.substr(digits);
  long scale = unit.empty() ? 1 : 0;
  if (unit == "G" || unit == "GiB" || unit == "g") scale = kGiB;
  if (unit == "M" || unit == "MiB" || unit == "m") scale = kMiB;
  double number = 0;
  try {
    number = digits ? std::stod(t.substr(0, digits)) : 0;
  } catch (const std::exception&) {
    number = 0;
  }
  if (scale == 0 || number <= 0)
    throw UserError("memory size \"" + text + "\" not understood: write it as 2G, 2GiB, 1536M or 512MiB");
  long bytes = static_cast<long>(number * static_cast<double>(scale));
  if (bytes < 16 * kMiB) throw UserError("memory size \"" + text + "\" is too small: give at least 16M");
  return bytes;
}

namespace {

// This process's cgroup that has the memory controller: under a cgroup2
// mount (version 2) or a v1 mount with the "memory" option (version 1).
struct MemoryHierarchy {
  fs::path dir;
  int version = 0;  // 0: none found
};

// The line of /proc/self/cgroup that belongs to `version`'s hierarchy: "0::/p"
// for v2, "N:...memory...:/p" for v1. Returns "/p" or empty.
std::string own_cgroup_path(int version) {
  for (auto& line : split_lines(try_read_file("/proc/self/cgroup").value_or(""))) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    auto controllers = split(line.substr(first + 1, second - first - 1), ',');
    bool v1_memory = std::find(controllers.begin(), controllers.end(), "memory") != controllers.end();
    if ((version == 2 && line.substr(0, second) == "0:") || (version == 1 && v1_memory))
      return line.substr(second + 1);
  }
  return {};
}

MemoryHierarchy own_memory_cgroup() {
  for (auto& line : split_lines(try_read_file("/proc/self/mountinfo").value_or(""))) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto mount = shell_split(line.substr(0, dash));  // id parent dev root mount-point ...
    auto source = shell_split(line.substr(dash + 3));  // fstype source super-options
    if (mount.size() < 5 || source.size() < 3) continue;
    auto options = split(source[2], ',');
    int version = source[0] == "cgroup2" ? 2
                  : source[0] == "cgroup" && std::find(options.begin(), options.end(), "memory") != options.end()
                      ? 1
                      : 0;
    if (version == 0) continue;
    // The path is relative to the hierarchy's root; the mount may show only a
    // part of it (a container sees its own subtree as "/").
    std::string path = own_cgroup_path(version), root = mount[3];
    if (path.empty()) continue;
    if (root != "/" && starts_with(path, root)) path = path.substr(root.size());
    return {fs::path(mount[4]) / fs::path(path).relative_path(), version};
  }
  return {};
}

bool write_text(const fs::path& file, const std::string& text) {
  int fd = open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

}  // namespace

MemoryCgroup::MemoryCgroup(long limit_bytes) {
  if (limit_bytes <= 0) return;
  MemoryHierarchy own = own_memory_cgroup();
  if (own.version == 2) {
    // v2 gives a cgroup the controller only where its parent delegated it.
    auto delegated = shell_split(try_read_file(own.dir / "cgroup.subtree_control").value_or(""));
    if (std::find(delegated.begin(), delegated.end(), "memory") == delegated.end()) return;
  } else if (own.version != 1) {
    return;
  }
  fs::path dir = own.dir / ("goc-grader-" + std::to_string(getpid()) + "-" + random_token(6));
  if (mkdir(dir.c_str(), 0755) != 0) return;
  dir_ = dir;
  version_ = own.version;
  if (!(version_ == 2 ? limit_v2(limit_bytes) : limit_v1(limit_bytes))) return;
  procs_fd_ = open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
}

bool MemoryCgroup::limit_v2(long limit_bytes) const {
  write_text(dir_ / "memory.swap.max", "0");   // not everywhere: no swap accounting
  write_text(dir_ / "memory.oom.group", "1");  // one over kills them all
  return write_text(dir_ / "memory.max", std::to_string(limit_bytes));
}

bool MemoryCgroup::limit_v1(long limit_bytes) const {
  if (!write_text(dir_ / "memory.limit_in_bytes", std::to_string(limit_bytes))) return false;
  // Memory plus swap, where swap is accounted: no way around the limit by swapping.
  write_text(dir_ / "memory.memsw.limit_in_bytes", std::to_string(limit_bytes));
  return true;
}

MemoryCgroup::~MemoryCgroup() {
  if (procs_fd_ >= 0) close(procs_fd_);
  if (dir_.empty()) return;
  // The killed processes may take a moment to leave it.
  for (int attempt = 0; attempt < 50 && rmdir(dir_.c_str()) != 0 && errno == EBUSY; ++attempt) usleep(20000);
}

bool MemoryCgroup::oom_killed() const {
  if (dir_.empty()) return false;
  // v2 counts kills in memory.events, v1 in memory.oom_control (Linux 4.13+).
  fs::path counts = dir_ / (version_ == 2 ? "memory.events" : "memory.oom_control");
  for (auto& line : split_lines(try_read_file(counts).value_or("")))
    if (starts_with(line, "oom_kill ")) return std::atol(line.c_str() + 9) > 0;
  return false;
}

MemoryWatch::MemoryWatch(pid_t leader, long limit_bytes, const MemoryCgroup& cgroup)
    : leader_(leader), limit_(limit_bytes), cgroup_(cgroup) {}

bool MemoryWatch::over_limit(double now) {
  if (limit_ <= 0 || over_ || now < next_sample_) return over_;
  next_sample_ = now + 0.1;
  if (cgroup_.active()) return over_ = cgroup_.oom_killed();
  long bytes = 0;
  if (now >= next_scan_) {
    next_scan_ = now + 0.5;
    bytes = scan_descendants();
  } else {
    bytes = known_resident_bytes();
  }
  over_ = bytes > limit_;
  return over_;
}

long MemoryWatch::known_resident_bytes() const {
  static const long page = sysconf(_SC_PAGESIZE);
  long pages = 0;
  for (long pid : known_) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%ld/statm", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // it ended
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = '\0';
    long size = 0, resident = 0;
    if (std::sscanf(buf, "%ld %ld", &size, &resident) == 2) pages += resident;
  }
  return pages * page;
}

long MemoryWatch::scan_descendants() {
  static const long page = sysconf(_SC_PAGESIZE);
  DIR* proc = opendir("/proc");
  if (!proc) return 0;
  std::unordered_map<long, std::vector<long>> children;
  std::unordered_map<long, long> rss_pages;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    StatFields f;
    if (!read_stat(entry->d_name, f)) continue;
    long pid = std::atol(entry->d_name);
    children[f.ppid].push_back(pid);
    rss_pages[pid] = f.rss_pages;
  }
  closedir(proc);
  // The leader's descendants: it is a subreaper, and the program is PID 1 of
  // its namespace, so orphans stay below it. The leader itself (a fork of the
  // grader that only waits) is not counted.
  known_.clear();
  long pages = 0;
  std::vector<long> todo = children[leader_];
  while (!todo.empty()) {
    long pid = todo.back();
    todo.pop_back();
    known_.push_back(pid);
    pages += rss_pages[pid];
    for (long child : children[pid]) todo.push_back(child);
  }
  return pages * page;
}

}  // namespace grader
