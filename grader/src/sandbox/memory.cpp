#include "memory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace grader {

namespace {

constexpr long kMiB = 1L << 20;
constexpr long kGiB = 1L << 30;

// Fields after the command name in /proc/<pid>/stat ("(name)" may hold spaces).
struct StatFields {
  long pgrp = -1, session = -1, rss_pages = 0;
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
                        &state, &skip, &out.pgrp, &out.session, &skip, &skip, &skip, &skip, &skip, &skip, &skip,
                        &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &out.rss_pages);
  return got == 22;
}

long uid_of_process(const char* pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%s", pid);
  struct stat st {};
  return stat(path, &st) == 0 ? static_cast<long>(st.st_uid) : -1;
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

MemoryWatch::MemoryWatch(pid_t leader, long limit_bytes, long uid_or_minus_one)
    : leader_(leader), limit_(limit_bytes), uid_(uid_or_minus_one) {}

bool MemoryWatch::over_limit(double now) {
  if (limit_ <= 0 || over_ || now < next_sample_) return over_;
  next_sample_ = now + 0.1;
  over_ = resident_bytes() > limit_;
  return over_;
}

long MemoryWatch::resident_bytes() const {
  static const long page = sysconf(_SC_PAGESIZE);
  DIR* proc = opendir("/proc");
  if (!proc) return 0;
  long pages = 0;
  while (dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    if (std::atol(entry->d_name) == leader_) continue;
    bool ours_by_uid = uid_ >= 0 && uid_of_process(entry->d_name) == uid_;
    StatFields f;
    if (!read_stat(entry->d_name, f)) continue;
    if (ours_by_uid || f.session == leader_ || f.pgrp == leader_) pages += f.rss_pages;
  }
  closedir(proc);
  return pages * page;
}

}  // namespace grader
