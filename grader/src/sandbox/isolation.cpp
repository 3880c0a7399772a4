#include "isolation.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace grader {

namespace {

bool is_inside(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end() && inner != outer;
}

bool is_inside_any(const fs::path& p, const std::vector<fs::path>& folders) {
  for (auto& f : folders)
    if (is_inside(p, f)) return true;
  return false;
}

// "/proc/self/fd/<fd>" in a caller's buffer, without allocating.
void fd_link(char (&buf)[40], int fd) {
  const char prefix[] = "/proc/self/fd/";
  int n = 0;
  for (const char* p = prefix; *p; ++p) buf[n++] = *p;
  char digits[12];
  int d = 0;
  do {
    digits[d++] = static_cast<char>('0' + fd % 10);
    fd /= 10;
  } while (fd > 0);
  while (d > 0) buf[n++] = digits[--d];
  buf[n] = '\0';
}

constexpr unsigned long kHiddenFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
constexpr int kMaxKept = 16;

const char* cover(const std::string& folder) {
  if (mount("goc-hidden", folder.c_str(), "tmpfs", kHiddenFlags, "size=16k,mode=0755") != 0)
    return "mount tmpfs over a hidden folder";
  return nullptr;
}

const char* seal(const std::string& folder) {
  if (mount("goc-hidden", folder.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY | kHiddenFlags, nullptr) != 0)
    return "remount a hidden folder read-only";
  return nullptr;
}

}  // namespace

MountPlan plan_mounts(const std::vector<fs::path>& hidden_in, const std::vector<fs::path>& kept_in) {
  std::vector<fs::path> hidden, kept;
  for (auto& h : hidden_in)
    if (fs::is_directory(h)) hidden.push_back(fs::weakly_canonical(h));
  for (auto& k : kept_in)
    if (fs::is_directory(k)) kept.push_back(fs::weakly_canonical(k));
  MountPlan plan;
  for (auto& h : hidden) {
    if (is_inside_any(h, kept)) {
      plan.hidden_inside_kept.push_back(h.string());
    } else if (!is_inside_any(h, hidden)) {
      if (std::find(plan.hidden.begin(), plan.hidden.end(), h.string()) == plan.hidden.end())
        plan.hidden.push_back(h.string());
    }
  }
  for (auto& k : kept) {
    for (auto& h : hidden) {
      if (!is_inside(k, h) || is_inside_any(h, hidden)) continue;
      std::vector<std::string> points;
      fs::path at = h;
      for (auto part : k.lexically_relative(h)) points.push_back((at /= part).string());
      plan.kept.push_back(k.string());
      plan.kept_mount_points.push_back(points);
      break;
    }
    if (static_cast<int>(plan.kept.size()) >= kMaxKept) break;
  }
  return plan;
}

const char* apply_mounts(const MountPlan& plan) {
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return "make mounts private";
  int kept_fds[kMaxKept];
  int kept_count = static_cast<int>(plan.kept.size());
  for (int i = 0; i < kept_count; ++i) {
    kept_fds[i] = open(plan.kept[i].c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (kept_fds[i] < 0) return "open a kept folder";
  }
  for (auto& h : plan.hidden)
    if (const char* failed = cover(h)) return failed;
  for (int i = 0; i < kept_count; ++i) {
    for (auto& point : plan.kept_mount_points[i])
      if (mkdir(point.c_str(), 0755) != 0 && errno != EEXIST) return "make a mount point in a hidden folder";
    char source[40];
    fd_link(source, kept_fds[i]);
    if (mount(source, plan.kept[i].c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
      return "bind a kept folder back";
    close(kept_fds[i]);
  }
  for (auto& h : plan.hidden)
    if (const char* failed = seal(h)) return failed;
  for (auto& h : plan.hidden_inside_kept) {
    if (const char* failed = cover(h)) return failed;
    if (const char* failed = seal(h)) return failed;
  }
  return nullptr;
}

const char* mount_own_proc() {
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    return "mount /proc of the new PID namespace";
  return nullptr;
}

bool mount_isolation_available() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET;
    if (geteuid() != 0) flags |= CLONE_NEWUSER;
    if (unshare(flags) != 0) _exit(1);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) _exit(2);
    if (mount("goc-probe", "/tmp", "tmpfs", kHiddenFlags, "size=16k") != 0) _exit(3);
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

ClosedFolders::ClosedFolders(const std::vector<fs::path>& folders) {
  for (auto& f : folders) {
    std::error_code ec;
    auto st = fs::status(f, ec);
    if (ec || !fs::is_directory(st)) continue;
    auto mode = st.permissions();
    fs::permissions(f, fs::perms::others_all, fs::perm_options::remove, ec);
    if (ec) continue;
    closed_.push_back(f);
    modes_.push_back(mode);
  }
}

ClosedFolders::~ClosedFolders() {
  for (std::size_t i = 0; i < closed_.size(); ++i) {
    std::error_code ec;
    fs::permissions(closed_[i], modes_[i], fs::perm_options::replace, ec);
  }
}

}  // namespace grader
