#include "build_progress.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <chrono>
#include <cstdlib>

#include "util.hpp"

namespace grader {

namespace {

// "[ 45%] " or "[12/80] " at the start of a line: its length, 0 if none.
std::size_t marker_length(std::string_view line) {
  if (line.empty() || line[0] != '[') return 0;
  std::size_t close = line.find(']');
  if (close == std::string_view::npos || close < 2) return 0;
  for (char c : line.substr(1, close - 1))
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != ' ' && c != '%' && c != '/') return 0;
  return close + 1;
}

std::string bar(int percent, int width) {
  int full = percent * width / 100;
  return "[" + std::string(full, '#') + std::string(width - full, '.') + "]";
}

}  // namespace

StepMark ninja_step(std::string_view line) {
  std::size_t len = marker_length(line), slash = line.find('/');
  if (len == 0 || slash == std::string_view::npos || slash > len) return {};
  try {
    return {std::stoi(std::string(line.substr(1, slash - 1))),
            std::stoi(std::string(line.substr(slash + 1, len - slash - 2)))};
  } catch (const std::exception&) {
    return {};
  }
}

bool is_build_step(std::string_view line) {
  std::size_t len = marker_length(line);
  if (len == 0) return false;
  std::string_view rest = line.substr(len);
  return !contains(rest, "Built target") && (ninja_step(line).total > 0 || contains(rest, "Building") ||
                                             contains(rest, "Linking"));
}

std::string step_text(std::string_view line) { return trim(line.substr(marker_length(line))); }

int dry_run_steps(std::string_view output) {
  int steps = 0, ninja_total = 0;
  for (auto& l : split_lines(output)) {
    ninja_total = std::max(ninja_total, ninja_step(trim(l)).total);
    if (contains(l, "cmake_echo_color") && (contains(l, "\"Building") || contains(l, "\"Linking"))) ++steps;
  }
  return ninja_total > 0 ? ninja_total : steps;
}

BuildProgress::BuildProgress(std::ostream& out, bool terminal, std::size_t width)
    : out_(out), terminal_(terminal), width_(std::max<std::size_t>(width, 40)) {}

void BuildProgress::start(const std::string& name, int total_steps) {
  std::lock_guard g(mu_);
  builds_[name] = Build{0, std::max(0, total_steps)};
}

void BuildProgress::line(const std::string& name, std::string_view text) {
  std::lock_guard g(mu_);
  Build& b = builds_[name];
  if (is_build_step(text)) {
    StepMark mark = ninja_step(text);
    b.done = mark.total ? mark.done : b.done + 1;
    if (mark.total) b.total = mark.total;
    if (b.total && b.done > b.total) b.total = b.done;  // a dry run can miss a step whose input is not built yet
    doing_ = step_text(text);
    if (!terminal_) {
      std::string count = std::to_string(b.done) + (b.total ? "/" + std::to_string(b.total) : "");
      out_ << name << ": [" << count << "] " << doing_ << "\n" << std::flush;
      return;
    }
  } else if (starts_with(text, "-- ")) {
    doing_ = name + ": configuring " + trim(text.substr(3));  // cmake's configure step
  } else {
    return;  // a compiler's message: the check explains errors afterwards
  }
  if (terminal_) draw_locked();
}

std::string BuildProgress::status() const {
  std::lock_guard g(mu_);
  return status_locked();
}

std::string BuildProgress::status_locked() const {
  int sum = 0, known = 0;
  std::string counts;
  for (auto& [name, b] : builds_) {
    if (b.total > 0) {
      sum += b.done * 100 / b.total;
      ++known;
      counts += "  " + name + " " + std::to_string(b.done) + "/" + std::to_string(b.total);
    } else if (b.done > 0) {
      counts += "  " + name + " " + std::to_string(b.done);
    }
  }
  int percent = known ? sum / known : 0;
  std::string text = bar(percent, 20) + " " + pad(std::to_string(percent) + "%", 4) + counts + "  " + doing_;
  if (text.size() >= width_) text = text.substr(0, width_ - 4) + "...";
  return text;
}

void BuildProgress::draw_locked() {
  out_ << "\r\033[K" << status_locked() << std::flush;
  drawn_ = true;
}

void BuildProgress::finish() {
  std::lock_guard g(mu_);
  if (drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !(term && std::string_view(term) == "dumb");
}

std::size_t terminal_width() {
  winsize w{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
  if (const char* c = std::getenv("COLUMNS"); c && std::atoi(c) > 0) return static_cast<std::size_t>(std::atoi(c));
  return 80;
}

RunResult run_with_progress(const std::vector<std::string>& argv, const std::string& name,
                            BuildProgress& progress) {
  RunResult r;
  auto started = std::chrono::steady_clock::now();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    r.start_error = "cannot create a pipe";
    return r;
  }
  std::vector<char*> args;  // made before fork: the child only calls what is safe between fork and exec
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    r.start_error = "cannot start " + argv[0];
    return r;
  }
  std::string pending;
  char buf[4096];
  for (ssize_t got; (got = read(fds[0], buf, sizeof buf)) != 0;) {
    if (got < 0) {
      if (errno == EINTR) continue;
      break;
    }
    pending.append(buf, static_cast<std::size_t>(got));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
      std::string_view l(pending.data(), nl);
      progress.line(name, l);
      if (r.output.size() < (8u << 20)) r.output.append(l).append("\n");
      else r.output_truncated = true;
    }
  }
  if (!pending.empty()) r.output += pending;
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.exit_code == 127) r.start_error = "cannot run " + argv[0];
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace grader
