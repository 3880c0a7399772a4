#include "process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "isolation.hpp"
#include "memory.hpp"

namespace grader {

namespace {

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  rlimit lim{soft, hard};
  setrlimit(resource, &lim);
}

// Writes an error from the child (after fork, only async-signal-safe calls) and exits.
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

// Makes the report pipe the program's fd 3, kept across exec. Catch2 opens
// it again by name (/dev/fd/3), and for a pipe the kernel then checks the
// pipe's owner: it goes to the uid the program is about to become.
void hand_over_report_fd(int fd, int& err_fd, const Sandbox& s) {
  if (err_fd == kReportFd) err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, kReportFd + 1);
  if (s.enabled && s.drop_privileges && geteuid() == 0 && fchown(fd, s.uid, kNobodyId) != 0)
    child_fail(err_fd, "fchown(report pipe)");
  if (fd == kReportFd) {
    if (fcntl(fd, F_SETFD, 0) != 0) child_fail(err_fd, "fcntl(report pipe)");
  } else if (dup2(fd, kReportFd) < 0) {
    child_fail(err_fd, "dup2(report pipe)");
  }
}

// Marks every fd from `first` on close-on-exec: the program gets stdin,
// stdout, stderr (and the report pipe), never an fd the grader inherited.
void close_inherited_fds(int first) {
  if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = first; fd < 4096; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);  // kernels before 5.11
}

// The process that becomes the student program: limits, identity, exec.
[[noreturn]] void exec_child(const RunOptions& o, char* const* argv, char* const* envp, int out_fd,
                             int err_fd, int report_fd, bool own_proc, const MemoryCgroup& cgroup) {
  if (o.quit_signal) signal(o.quit_signal, SIG_DFL);  // the leader ignores it; the program must not
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  if (report_fd >= 0) hand_over_report_fd(report_fd, err_fd, o.sandbox);
  close_inherited_fds(report_fd >= 0 ? kReportFd + 1 : kReportFd);
  const Sandbox& s = o.sandbox;
  if (own_proc) {
    // Still root here: PID 1 of the new namespace mounts its own /proc.
    if (const char* failed = mount_own_proc()) child_fail(err_fd, failed);
  }
  if (cgroup.active() && !cgroup.join()) child_fail(err_fd, "join the memory cgroup");
  if (s.enabled) {
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_CPU, s.cpu_seconds, s.cpu_seconds + 2);
    set_limit(RLIMIT_FSIZE, s.max_file_bytes, s.max_file_bytes);
    if (s.max_threads > 0) set_limit(RLIMIT_NPROC, s.max_threads, s.max_threads);
    if (s.drop_privileges && geteuid() == 0) {
      if (setgroups(0, nullptr) != 0) child_fail(err_fd, "setgroups");
      if (setgid(kNobodyId) != 0) child_fail(err_fd, "setgid(nogroup)");
      if (setuid(s.uid) != 0) child_fail(err_fd, "setuid");
    }
    if (s.no_aslr && personality(ADDR_NO_RANDOMIZE) == -1)
      child_fail(err_fd, "personality(ADDR_NO_RANDOMIZE)");
  }
  if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) child_fail(err_fd, "chdir");
  // ETXTBSY: a just-written binary may still be open in a child another
  // thread forked in the meantime; it closes at that child's exec.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (envp)
      execve(argv[0], argv, envp);
    else
      execv(argv[0], argv);
    if (errno != ETXTBSY) break;
    usleep(20000);
  }
  if (!contains(argv[0], "/")) {
    // Search PATH ourselves so that a clean environment still finds tools.
    if (envp) execvpe(argv[0], argv, envp);
    else execvp(argv[0], argv);
  }
  child_fail(err_fd, "exec");
}

// A pipe the grader reads while the program runs, kept up to a cap; the rest
// is read and dropped so that the writer never blocks on a full pipe.
struct Drain {
  int fd = -1;
  std::string* into = nullptr;
  std::size_t cap = 0;
  bool* truncated = nullptr;

  bool open() const { return fd >= 0; }
  void read_some(char* buf, std::size_t size) {
    ssize_t got = read(fd, buf, size);
    if (got < 0 && errno == EINTR) return;
    if (got <= 0) {
      close(fd);
      fd = -1;
      return;
    }
    std::size_t room = cap > into->size() ? cap - into->size() : 0;
    if (static_cast<std::size_t>(got) > room) *truncated = true;
    into->append(buf, std::min<std::size_t>(room, got));
  }
};

// In the forked leader: new PID and network namespaces (program and all it
// starts see no network and die with it), and a private mount namespace with
// the hidden folders covered. Without hidden folders, a kernel that refuses
// the mount namespace still gets the other two; with them, the run fails
// rather than start with instructor files in view.
void enter_namespaces(const MountPlan& mounts, int err_fd, bool& isolated, bool& own_mounts) {
  int flags = CLONE_NEWPID | CLONE_NEWNET;
  if (geteuid() != 0) flags |= CLONE_NEWUSER;
  own_mounts = unshare(flags | CLONE_NEWNS) == 0;
  if (own_mounts) {
    isolated = true;
    if (const char* failed = apply_mounts(mounts)) child_fail(err_fd, failed);
    return;
  }
  if (!mounts.empty()) child_fail(err_fd, "unshare(CLONE_NEWNS) for the hidden folders");
  isolated = unshare(flags) == 0;
}

}  // namespace

std::string RunResult::describe_end(double timeout) const {
  if (!start_error.empty()) return "could not start: " + start_error;
  if (memory_exceeded) return "used more than " + describe_bytes(memory_limit) + " of memory and was stopped";
  if (timed_out) return "timed out after " + format_points(timeout) + " s";
  if (cancelled) return "stopped early: its result was no longer needed";
  if (signal) {
    std::string name = strsignal(signal) ? strsignal(signal) : "?";
    std::string why;
    if (signal == SIGXCPU) why = ": CPU time limit reached";
    if (signal == SIGXFSZ) why = ": file size limit reached";
    return "killed by signal " + std::to_string(signal) + " (" + name + ")" + why;
  }
  return "exit status " + std::to_string(exit_code);
}

bool running_as_root() { return geteuid() == 0; }

bool have_program(const std::string& name) { return !program_path(name).empty(); }

fs::path program_path(const std::string& name) {
  if (contains(name, "/")) return access(name.c_str(), X_OK) == 0 ? fs::path(name) : fs::path();
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::string p = path;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    fs::path candidate = fs::path(p.substr(start, end - start)) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

std::vector<std::string> clean_environment(const fs::path& home) {
  // Every ThreadSanitizer flag that decides whether a race is seen and how it
  // is told, set explicitly: the runtime reads this after the program's own
  // __tsan_default_options(), so these values win over a student's hook. The
  // course's test main counts reports itself and exits 66 (exitcode).
  static const std::string tsan_options =
      "TSAN_OPTIONS=report_bugs=1:exitcode=66:log_path=stderr:halt_on_error=0:abort_on_error=0"
      ":suppressions=:print_suppressions=0:report_signal_unsafe=1:report_destroy_locked=1"
      ":report_mutex_bugs=1:report_atomic_races=1:report_thread_leaks=1"
      ":ignore_noninstrumented_modules=0:ignore_interceptors_accesses=0:detect_deadlocks=1"
      ":atexit_sleep_ms=0:second_deadlock_stack=1:history_size=4";
  return {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home.string(), "LANG=C.UTF-8", tsan_options};
}

namespace {

// The pipes between the grader and a run: output, exec errors, the program's
// wait status and (when captured) the test report. All close-on-exec; the
// program gets its ends by dup2.
struct RunPipes {
  int out[2] = {-1, -1}, err[2] = {-1, -1}, status[2] = {-1, -1}, report[2] = {-1, -1};

  explicit RunPipes(bool with_report) {
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC) ||
        (with_report && pipe2(report, O_CLOEXEC)))
      throw UserError(std::string("pipe: ") + strerror(errno));
  }
  void close_child_ends() {
    for (int* p : {out, err, status, report})
      if (p[1] >= 0) close(p[1]);
  }
};

// The group leader (a forked child of the grader): own session and process
// group, then (sandboxed) new namespaces, then the program as its child, which
// is PID 1 of the new PID namespace: when it dies the kernel kills everything
// it started. Reports the program's wait status on the status pipe.
[[noreturn]] void lead_program(const RunOptions& o, char* const* argv, char* const* envp, RunPipes& pipes,
                               const MountPlan& mounts, const MemoryCgroup& cgroup, pid_t grader) {
  setsid();
  // The quit signal (RunOptions::quit_signal) goes to the whole group and is
  // meant for the program: the leader stays to report how it ended.
  if (o.quit_signal) signal(o.quit_signal, SIG_IGN);
  // A grader that is killed takes the run with it (the program follows the
  // leader the same way).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != grader) _exit(1);
  for (int* p : {pipes.out, pipes.err, pipes.status, pipes.report})
    if (p[0] >= 0) close(p[0]);
  bool isolated = false, own_mounts = false;
  if (o.sandbox.enabled && o.sandbox.isolate) enter_namespaces(mounts, pipes.err[1], isolated, own_mounts);
  // Orphans of the program stay below the leader (its memory is summed).
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t program = fork();
  if (program < 0) child_fail(pipes.err[1], "fork");
  if (program == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    exec_child(o, argv, envp, pipes.out[1], pipes.err[1], pipes.report[1], isolated && own_mounts, cgroup);
  }
  close(pipes.out[1]);
  close(pipes.err[1]);
  if (pipes.report[1] >= 0) close(pipes.report[1]);  // the report ends when the program's copy closes
  int status = 0;
  while (waitpid(program, &status, 0) < 0 && errno == EINTR) {
  }
  int report[2] = {status, isolated ? 1 : 0};
  [[maybe_unused]] auto w = write(pipes.status[1], report, sizeof report);
  _exit(0);
}

// Reads the program's output and report until it ends, is out of time or
// over its memory; kills its whole group then. Returns when the leader is
// reaped and the pipes are drained (or given up on).
void watch_program(const RunOptions& o, pid_t leader, RunPipes& pipes, long memory_limit,
                   const MemoryCgroup& cgroup, RunResult& result, double start) {
  Drain out{pipes.out[0], &result.output, o.output_cap, &result.output_truncated};
  Drain report_in{pipes.report[0], &result.report, o.report_cap, &result.report_truncated};
  double deadline = start + o.timeout_seconds;
  double next_tick = start + o.tick_seconds;
  MemoryWatch memory(leader, memory_limit, cgroup);
  bool leader_done = false;
  bool quitting = false;  // the quit signal is sent; SIGKILL when its grace is over
  char buf[65536];
  auto kill_all = [&] {
    kill(-leader, SIGKILL);
    kill(leader, SIGKILL);
    deadline = now_seconds() + 5;  // collect what is left of the output
  };
  auto stop = [&] {
    if (o.quit_signal && !result.cancelled) {
      kill(-leader, o.quit_signal);  // the program answers with what it was doing
      quitting = true;
      deadline = now_seconds() + o.quit_grace_seconds;
    } else {
      kill_all();
    }
  };
  while (true) {
    int st;
    if (!leader_done && waitpid(leader, &st, WNOHANG) == leader) {
      leader_done = true;
      // Anything the program left behind in its group goes too, and output
      // still arriving from an escaped process is read for one more second.
      kill(-leader, SIGKILL);
      deadline = std::min(deadline, now_seconds() + 1);
    }
    if (!out.open() && !report_in.open() && leader_done) break;
    double now = now_seconds();
    bool out_of_time = deadline - now <= 0;
    if (out_of_time && quitting && !leader_done) {  // it did not end on the quit signal
      quitting = false;
      kill_all();
      continue;
    }
    if (out_of_time && (result.timed_out || result.cancelled || result.memory_exceeded || leader_done)) break;
    bool cancelled = o.cancel && o.cancel->load() && !leader_done && !result.timed_out && !result.cancelled &&
                     !result.memory_exceeded;
    if (out_of_time || cancelled) {
      (cancelled ? result.cancelled : result.timed_out) = true;
      stop();
      continue;
    }
    if (o.on_tick && !leader_done && !result.timed_out && !result.cancelled && now >= next_tick) {
      o.on_tick(now - start);
      next_tick += o.tick_seconds;
    }
    if (!leader_done && !result.timed_out && !result.cancelled && !result.memory_exceeded && memory.over_limit(now_seconds())) {
      result.memory_exceeded = true;
      result.memory_limit = memory_limit;
      kill_all();
    }
    // The status pipe wakes the loop when the program has ended (the leader
    // writes its status, then exits), rather than the next 50 ms tick.
    pollfd pfds[3] = {{out.fd, POLLIN, 0}, {report_in.fd, POLLIN, 0},
                      {leader_done ? -1 : pipes.status[0], POLLIN, 0}};  // poll skips fd -1
    int n = poll(pfds, 3, leader_done ? 200 : 50);
    if (n > 0) {
      if (pfds[0].revents && out.open()) out.read_some(buf, sizeof buf);
      if (pfds[1].revents && report_in.open()) report_in.read_some(buf, sizeof buf);
      if (pfds[2].revents && !leader_done) {
        while (waitpid(leader, &st, 0) < 0 && errno == EINTR) {
        }
        leader_done = true;
        kill(-leader, SIGKILL);  // what the program left behind goes too
        deadline = std::min(deadline, now_seconds() + 1);
      }
    } else if (n == 0 && leader_done) {
      break;  // the program ended and nothing more is coming
    }
  }
  if (!leader_done) {
    kill(-leader, SIGKILL);
    kill(leader, SIGKILL);
    int st;
    waitpid(leader, &st, 0);
  }
  if (out.open()) close(out.fd);
  if (report_in.open()) close(report_in.fd);
}

// Exec errors come on the error pipe; the program's wait status on the status pipe.
void collect_end(RunPipes& pipes, RunResult& result) {
  char buf[256];
  ssize_t got = read(pipes.err[0], buf, sizeof buf - 1);
  if (got > 0) result.start_error.assign(buf, got);
  close(pipes.err[0]);
  int report[2] = {0, 0};
  if (read(pipes.status[0], report, sizeof report) == sizeof report && !result.timed_out && !result.cancelled) {
    int status = report[0];
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    result.isolated = report[1] == 1;
  }
  close(pipes.status[0]);
}

}  // namespace

RunResult run(const RunOptions& o) {
  RunResult result;
  double start = now_seconds();
  if (o.argv.empty()) {
    result.start_error = "empty command";
    return result;
  }
  std::vector<char*> argv;
  for (auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  char* const* env_arg = o.env.empty() ? nullptr : envp.data();

  // The kernel enforces the memory limit where it can; else it is sampled.
  const long memory_limit = o.sandbox.enabled ? o.sandbox.max_memory_bytes : 0;
  MemoryCgroup cgroup(o.sandbox.memory_cgroup ? memory_limit : 0);
  MountPlan mounts;
  if (o.sandbox.enabled && o.sandbox.isolate) mounts = plan_mounts(o.sandbox.hidden_paths, o.sandbox.kept_paths);
  RunPipes pipes(o.capture_report_fd);
  pid_t grader = getpid();
  pid_t leader = fork();
  if (leader < 0) throw UserError(std::string("fork: ") + strerror(errno));
  if (leader == 0) lead_program(o, argv.data(), env_arg, pipes, mounts, cgroup, grader);
  pipes.close_child_ends();
  watch_program(o, leader, pipes, memory_limit, cgroup, result, start);
  collect_end(pipes, result);
  if (cgroup.oom_killed() && !result.timed_out) {
    result.memory_exceeded = true;
    result.memory_limit = memory_limit;
  }
  if (result.output_truncated)
    result.output += "\n[output cut at " + std::to_string(o.output_cap / 1024) + " KiB]\n";
  result.seconds = now_seconds() - start;
  return result;
}

}  // namespace grader
