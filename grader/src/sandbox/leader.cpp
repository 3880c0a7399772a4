#include "leader.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "process.hpp"  // kNobodyId, kReportFd

namespace grader {

static_assert(leader_fd::report == kReportFd, "the leader hands the program its report pipe where Catch2 writes");

namespace {

// The plan is a list of words, each its length in decimal, a ':', its bytes.
struct PlanWriter {
  std::string out;
  void word(const std::string& w) { out += std::to_string(w.size()) + ":" + w; }
  void number(long n) { word(std::to_string(n)); }
  void words(const std::vector<std::string>& ws) {
    number(static_cast<long>(ws.size()));
    for (auto& w : ws) word(w);
  }
};

struct PlanReader {
  const std::string& in;
  std::size_t at = 0;
  bool ok = true;

  std::string word() {
    std::size_t colon = in.find(':', at);
    if (!ok || colon == std::string::npos || colon == at || colon - at > 9) return fail();
    std::size_t size = 0;
    for (std::size_t i = at; i < colon; ++i) {
      if (in[i] < '0' || in[i] > '9') return fail();
      size = size * 10 + static_cast<std::size_t>(in[i] - '0');
    }
    if (in.size() - (colon + 1) < size) return fail();
    at = colon + 1 + size;
    return in.substr(colon + 1, size);
  }
  long number() {
    std::string w = word();
    if (!ok || w.empty() || w.size() > 18) return fail(), 0;
    std::size_t used = 0;
    long n = std::stol(w, &used);
    if (used != w.size()) fail();
    return n;
  }
  std::vector<std::string> words() {
    long n = number();
    std::vector<std::string> ws;
    for (long i = 0; ok && i < n; ++i) ws.push_back(word());
    return ws;
  }
  std::string fail() {
    ok = false;
    return {};
  }
};

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit lim{soft, hard};
  setrlimit(resource, &lim);
}

// Writes an error to the grader's error pipe and exits.
[[noreturn]] void child_fail(int fd, const char* what) {
  char buf[256];
  int n = 0;
  for (const char* p = what; *p && n < 120; ++p) buf[n++] = *p;
  const char* sep = ": ";
  for (const char* p = sep; *p; ++p) buf[n++] = *p;
  for (const char* p = strerror(errno); *p && n < 250; ++p) buf[n++] = *p;
  [[maybe_unused]] auto w = write(fd, buf, n);
  _exit(127);
}

// Marks every fd from `first` on close-on-exec: the program gets stdin,
// stdout, stderr (and the report pipe), never an fd the grader inherited.
void close_inherited_fds(int first) {
  if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = first; fd < 4096; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);  // kernels before 5.11
}

// The report pipe is the program's fd 3, kept across exec. Catch2 opens it
// again by name (/dev/fd/3), and for a pipe the kernel then checks the pipe's
// owner: it goes to the uid the program is about to become.
void hand_over_report_fd(const LeaderPlan& p, int err_fd) {
  if (p.sandboxed && p.drop_privileges && geteuid() == 0 && fchown(leader_fd::report, p.uid, kNobodyId) != 0)
    child_fail(err_fd, "fchown(report pipe)");
}

void apply_limits(const LeaderPlan& p, int err_fd) {
  set_limit(RLIMIT_CORE, 0, 0);
  set_limit(RLIMIT_CPU, p.cpu_seconds, p.cpu_seconds + 2);
  set_limit(RLIMIT_FSIZE, p.max_file_bytes, p.max_file_bytes);
  if (p.max_threads > 0) set_limit(RLIMIT_NPROC, p.max_threads, p.max_threads);
  if (p.drop_privileges && geteuid() == 0) {
    if (setgroups(0, nullptr) != 0) child_fail(err_fd, "setgroups");
    if (setgid(kNobodyId) != 0) child_fail(err_fd, "setgid(nogroup)");
    if (setuid(p.uid) != 0) child_fail(err_fd, "setuid");
  }
  if (p.no_aslr && personality(ADDR_NO_RANDOMIZE) == -1) child_fail(err_fd, "personality(ADDR_NO_RANDOMIZE)");
}

// `fd` moved to the first free descriptor from leader_fd::first_free on.
int above_leader_fds(int fd) {
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, leader_fd::first_free);
  if (moved < 0) child_fail(leader_fd::error, "fcntl(F_DUPFD_CLOEXEC)");
  close(fd);
  return moved;
}

// Changing the uid clears the parent-death signal that the program's process
// set first (prctl(2)); without it again a killed grader would leave the
// program running on its own. It is set again as the new user, and a leader
// that died before that is seen through `leader_alive`: the read end of a pipe
// whose only writer is the leader, so it hangs up once the leader is gone.
void follow_the_leader_again(int leader_alive) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  pollfd hangup{leader_alive, 0, 0};
  if (poll(&hangup, 1, 0) != 0) _exit(126);
}

// The process that becomes the program: stdio, limits, identity, exec.
[[noreturn]] void exec_program(const LeaderPlan& p, bool own_proc, int leader_alive) {
  // The error pipe moves out of the way of stderr, which joins stdout.
  int err_fd = fcntl(leader_fd::error, F_DUPFD_CLOEXEC, leader_fd::first_free);
  if (err_fd < 0) _exit(127);
  if (p.quit_signal) signal(p.quit_signal, SIG_DFL);  // the leader ignores it; the program must not
  dup2(leader_fd::output, STDERR_FILENO);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);  // and the control socket is gone
  if (p.report) hand_over_report_fd(p, err_fd);
  if (own_proc) {
    // Still root here: PID 1 of the new namespace mounts its own /proc.
    if (const char* failed = mount_own_proc()) child_fail(err_fd, failed);
  }
  if (p.join_cgroup && write(leader_fd::cgroup, "0", 1) != 1) child_fail(err_fd, "join the memory cgroup");
  close_inherited_fds(p.report ? leader_fd::report + 1 : leader_fd::report);
  if (p.sandboxed) apply_limits(p, err_fd);
  follow_the_leader_again(leader_alive);
  if (!p.cwd.empty() && chdir(p.cwd.c_str()) != 0) child_fail(err_fd, "chdir");
  std::vector<char*> argv, envp;
  for (auto& a : p.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : p.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // ETXTBSY: a just-written binary may still be open in a child the grader
  // forked in the meantime; it closes at that child's exec.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (p.env.empty())
      execv(argv[0], argv.data());
    else
      execve(argv[0], argv.data(), envp.data());
    if (errno != ETXTBSY) break;
    usleep(20000);
  }
  if (!std::strchr(argv[0], '/')) {
    // Search PATH ourselves so that a clean environment still finds tools.
    if (p.env.empty()) execvp(argv[0], argv.data());
    else execvpe(argv[0], argv.data(), envp.data());
  }
  child_fail(err_fd, "exec");
}

// New PID and network namespaces (program and all it starts see no network
// and die with it), and a private mount namespace with the hidden folders
// covered. Without hidden folders, a kernel that refuses the mount namespace
// still gets the other two; with them, the run fails rather than start with
// instructor files in view.
void enter_namespaces(const MountPlan& mounts, bool& isolated, bool& own_mounts) {
  int flags = CLONE_NEWPID | CLONE_NEWNET;
  if (geteuid() != 0) flags |= CLONE_NEWUSER;
  own_mounts = unshare(flags | CLONE_NEWNS) == 0;
  if (own_mounts) {
    isolated = true;
    if (const char* failed = apply_mounts(mounts)) child_fail(leader_fd::error, failed);
    return;
  }
  if (!mounts.empty()) child_fail(leader_fd::error, "unshare(CLONE_NEWNS) for the hidden folders");
  isolated = unshare(flags) == 0;
}

}  // namespace

std::string encode_plan(const LeaderPlan& p) {
  PlanWriter w;
  w.words(p.argv);
  w.words(p.env);
  w.word(p.cwd);
  for (long n : {long{p.quit_signal}, long{p.report}, long{p.join_cgroup}, long{p.sandboxed}, long{p.isolate},
                 long{p.drop_privileges}, long{p.no_aslr}, p.cpu_seconds, p.max_file_bytes, p.max_threads, p.uid,
                 p.grader_pid})
    w.number(n);
  w.words(p.mounts.hidden);
  w.words(p.mounts.kept);
  w.number(static_cast<long>(p.mounts.kept_mount_points.size()));
  for (auto& points : p.mounts.kept_mount_points) w.words(points);
  w.words(p.mounts.hidden_inside_kept);
  return w.out;
}

bool decode_plan(const std::string& bytes, LeaderPlan& p) {
  PlanReader r{bytes};
  p.argv = r.words();
  p.env = r.words();
  p.cwd = r.word();
  p.quit_signal = static_cast<int>(r.number());
  p.report = r.number() != 0;
  p.join_cgroup = r.number() != 0;
  p.sandboxed = r.number() != 0;
  p.isolate = r.number() != 0;
  p.drop_privileges = r.number() != 0;
  p.no_aslr = r.number() != 0;
  p.cpu_seconds = r.number();
  p.max_file_bytes = r.number();
  p.max_threads = r.number();
  p.uid = r.number();
  p.grader_pid = r.number();
  p.mounts.hidden = r.words();
  p.mounts.kept = r.words();
  long points = r.number();
  p.mounts.kept_mount_points.clear();
  for (long i = 0; r.ok && i < points; ++i) p.mounts.kept_mount_points.push_back(r.words());
  p.mounts.hidden_inside_kept = r.words();
  return r.ok && r.at == bytes.size() && !p.argv.empty() &&
         p.mounts.kept_mount_points.size() == p.mounts.kept.size();
}

void lead(const LeaderPlan& p) {
  setsid();
  // The quit signal goes to the whole group and is meant for the program:
  // the leader stays to report how it ended.
  if (p.quit_signal) signal(p.quit_signal, SIG_IGN);
  // A grader that is killed takes the run with it (the program follows the
  // leader the same way).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != static_cast<pid_t>(p.grader_pid)) _exit(1);
  bool isolated = false, own_mounts = false;
  if (p.sandboxed && p.isolate) enter_namespaces(p.mounts, isolated, own_mounts);
  // Orphans of the program stay below the leader (its memory is summed).
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int alive[2];  // the leader holds the write end until it ends
  if (pipe2(alive, O_CLOEXEC) != 0) child_fail(leader_fd::error, "pipe");
  for (int& end : alive) end = above_leader_fds(end);  // 3 and 4 may be free, and are closed below
  pid_t program = fork();  // the leader is small: a cheap copy
  if (program < 0) child_fail(leader_fd::error, "fork");
  if (program == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(alive[1]);
    exec_program(p, isolated && own_mounts, alive[0]);
  }
  close(alive[0]);
  // The pipes end when the program's copies close.
  for (int fd : {leader_fd::output, leader_fd::error, leader_fd::report, leader_fd::cgroup}) close(fd);
  int status = 0;
  while (waitpid(program, &status, 0) < 0 && errno == EINTR) {
  }
  LeaderEnd end{status, isolated ? 1 : 0};
  [[maybe_unused]] auto w = write(leader_fd::control, &end, sizeof end);
  _exit(0);
}

fs::path leader_program() {
  std::error_code ec;
  fs::path beside = fs::read_symlink("/proc/self/exe", ec).parent_path() / "goc-run-leader";
  if (!ec && access(beside.c_str(), X_OK) == 0) return beside;
#ifdef GOC_RUN_LEADER_PATH
  if (access(GOC_RUN_LEADER_PATH, X_OK) == 0) return GOC_RUN_LEADER_PATH;
#endif
  return {};
}

}  // namespace grader
