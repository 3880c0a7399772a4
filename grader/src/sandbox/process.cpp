#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "isolation.hpp"
#include "leader.hpp"
#include "memory.hpp"

namespace grader {

namespace {

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

// The pipes between the grader and a run's leader: output, exec errors, the
// test report when captured, and the control socket (the plan goes out, the
// end status comes back). All close-on-exec; posix_spawn puts the leader's
// ends where leader.hpp says.
struct RunPipes {
  int out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1}, control[2] = {-1, -1};

  explicit RunPipes(bool with_report) {
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || (with_report && pipe2(report, O_CLOEXEC)) ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control))
      throw UserError(std::string("pipe: ") + strerror(errno));
    // The leader's ends must not sit where posix_spawn puts another one.
    for (int* fd : {&out[1], &err[1], &report[1], &control[1]}) *fd = above_leader_fds(*fd);
  }
  // Closes the grader's copies of the leader's ends once it is started.
  void close_child_ends() {
    for (int* p : {out, err, report, control})
      if (p[1] >= 0) close(p[1]);
  }

  static int above_leader_fds(int fd) {
    if (fd < 0 || fd >= leader_fd::first_free) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, leader_fd::first_free);
    if (moved < 0) throw UserError(std::string("fcntl(F_DUPFD): ") + strerror(errno));
    close(fd);
    return moved;
  }
};

LeaderPlan plan_for(const RunOptions& o, const MountPlan& mounts, bool join_cgroup) {
  const Sandbox& s = o.sandbox;
  LeaderPlan p;
  p.argv = o.argv;
  p.env = o.env;
  p.cwd = o.cwd.string();
  p.quit_signal = o.quit_signal;
  p.report = o.capture_report_fd;
  p.join_cgroup = join_cgroup;
  p.sandboxed = s.enabled;
  p.isolate = s.isolate;
  p.drop_privileges = s.drop_privileges;
  p.no_aslr = s.no_aslr;
  p.cpu_seconds = s.cpu_seconds;
  p.max_file_bytes = s.max_file_bytes;
  p.max_threads = s.max_threads;
  p.uid = s.uid;
  p.mounts = mounts;
  p.grader_pid = getpid();
  return p;
}

// Starts goc-run-leader with its descriptors in place (leader.hpp) and sends
// it the plan. posix_spawn shares the grader's memory until the exec instead
// of copying its page tables.
pid_t spawn_leader(const LeaderPlan& plan, RunPipes& pipes, const MemoryCgroup& cgroup) {
  static const fs::path leader = leader_program();
  if (leader.empty())
    throw UserError("the grader's helper goc-run-leader is missing (it is built beside goc-grader): "
                    "build the grader again, e.g. with `./course grade --help`");
  int procs = plan.join_cgroup ? fcntl(cgroup.procs_fd(), F_DUPFD_CLOEXEC, leader_fd::first_free) : -1;
  if (plan.join_cgroup && procs < 0) throw UserError(std::string("fcntl(F_DUPFD): ") + strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.control[1], leader_fd::control);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], leader_fd::output);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], leader_fd::error);
  if (plan.report) posix_spawn_file_actions_adddup2(&actions, pipes.report[1], leader_fd::report);
  if (procs >= 0) posix_spawn_file_actions_adddup2(&actions, procs, leader_fd::cgroup);
  std::string path = leader.string();
  char* argv[] = {path.data(), nullptr};
  pid_t pid = -1;
  int err = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (procs >= 0) close(procs);
  if (err != 0) throw UserError("cannot start " + path + ": " + strerror(err));
  std::string bytes = encode_plan(plan);
  for (std::size_t sent = 0; sent < bytes.size();) {
    ssize_t n = send(pipes.control[0], bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the leader is gone: the watch loop sees it end
    sent += static_cast<std::size_t>(n);
  }
  shutdown(pipes.control[0], SHUT_WR);
  return pid;
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
                      {leader_done ? -1 : pipes.control[0], POLLIN, 0}};  // poll skips fd -1
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

// Exec errors come on the error pipe; the program's wait status on the control socket.
void collect_end(RunPipes& pipes, RunResult& result) {
  char buf[256];
  ssize_t got = read(pipes.err[0], buf, sizeof buf - 1);
  if (got > 0) result.start_error.assign(buf, got);
  close(pipes.err[0]);
  LeaderEnd end;
  if (recv(pipes.control[0], &end, sizeof end, MSG_WAITALL) == sizeof end && !result.timed_out &&
      !result.cancelled) {
    if (WIFEXITED(end.wait_status)) result.exit_code = WEXITSTATUS(end.wait_status);
    if (WIFSIGNALED(end.wait_status)) result.signal = WTERMSIG(end.wait_status);
    result.isolated = end.isolated == 1;
  }
  close(pipes.control[0]);
}

}  // namespace

RunResult run(const RunOptions& o) {
  RunResult result;
  double start = now_seconds();
  if (o.argv.empty()) {
    result.start_error = "empty command";
    return result;
  }
  // The kernel enforces the memory limit where it can; else it is sampled.
  const long memory_limit = o.sandbox.enabled ? o.sandbox.max_memory_bytes : 0;
  MemoryCgroup cgroup(o.sandbox.memory_cgroup ? memory_limit : 0);
  MountPlan mounts;
  if (o.sandbox.enabled && o.sandbox.isolate) mounts = plan_mounts(o.sandbox.hidden_paths, o.sandbox.kept_paths);
  RunPipes pipes(o.capture_report_fd);
  pid_t leader = spawn_leader(plan_for(o, mounts, cgroup.active()), pipes, cgroup);
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
