// What a build is doing while the student waits: CMake's configure and build
// output read line by line, shown as a bar redrawn in place on a terminal
// and as plain lines (one a compiled file) when stderr is a pipe or a file.
#pragma once

#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "process.hpp"

namespace grader {

/// Ninja's "[12/80] Building ..." gives 12 of 80; other lines give {0, 0}.
struct StepMark {
  int done = 0, total = 0;
};
StepMark ninja_step(std::string_view line);

/// True for a line that says a file is compiled or linked: make's
/// "[ 45%] Building CXX object ..." or "Linking ...", ninja's "[12/80] ...";
/// not make's "Built target" nor a compiler's message.
bool is_build_step(std::string_view line);

/// The line without its "[ 45%] " or "[12/80] " in front.
std::string step_text(std::string_view line);

/// How many files a dry run (`cmake --build ... -- -n`) would compile and
/// link: make echoes one "Building"/"Linking" line each, ninja numbers them.
int dry_run_steps(std::string_view dry_run_output);

class BuildProgress {
 public:
  /// `terminal`: redraw one line in place; otherwise print a line per step.
  BuildProgress(std::ostream& out, bool terminal, std::size_t width = 80);
  ~BuildProgress() { finish(); }

  /// A build named `name` ("plain", "tsan") starts, with `total_steps` to go (0: unknown).
  void start(const std::string& name, int total_steps);
  /// One line of its output. Safe to call from several threads.
  void line(const std::string& name, std::string_view text);
  /// Clears the bar (terminal); nothing otherwise.
  void finish();
  /// The bar as it reads now: "[######......]  50%  plain 4/8  tsan 4/8  Building CXX object x.o".
  std::string status() const;

 private:
  struct Build {
    int done = 0, total = 0;
  };
  std::string status_locked() const;
  void draw_locked();

  std::ostream& out_;
  bool terminal_;
  std::size_t width_;
  mutable std::mutex mu_;
  std::map<std::string, Build> builds_;
  std::string doing_;
  bool drawn_ = false;
};

/// True when stderr is a terminal (and TERM is not "dumb").
bool stderr_is_terminal();
/// The terminal's width in columns (80 when unknown).
std::size_t terminal_width();

/// Runs `argv` (cmake), handing each output line to `progress` under `name`
/// as it comes; the result holds the whole output (capped at 8 MiB) for the
/// error messages.
RunResult run_with_progress(const std::vector<std::string>& argv, const std::string& name,
                            BuildProgress& progress);

}  // namespace grader
