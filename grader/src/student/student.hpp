// The student's commands: check, watch, hint, list, reset; progress kept in a
// git-ignored file at the course root.
#pragma once

#include <string>
#include <vector>

#include "manifest.hpp"
#include "process.hpp"

namespace grader {

struct StudentOptions {
  fs::path course_root;
  fs::path build_plain;   ///< default <root>/build/plain (the plain preset's folder)
  fs::path build_tsan;    ///< default <root>/build/tsan
  bool race_detector = true;
  double timeout = 30;
  double tsan_timeout = 120;
  int jobs = 2;
};

/// `check [EXERCISE]`: returns the process exit status (0 when all checked pass).
int cmd_check(const StudentOptions& o, const std::vector<std::string>& only);
int cmd_watch(const StudentOptions& o, bool poll);
int cmd_hint(const StudentOptions& o, const std::string& exercise);
int cmd_list(const StudentOptions& o);
int cmd_reset(const StudentOptions& o, const std::string& exercise);

}  // namespace grader
