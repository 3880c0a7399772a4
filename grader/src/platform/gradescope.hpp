// The Gradescope autograder package.
#pragma once

#include "manifest.hpp"

namespace grader {

struct GradescopeOptions {
  /// Lessons, exercise ids or keys to grade (select_exercises); empty: all.
  std::vector<std::string> only;
  /// Name failed hidden tests in what students see before grades are
  /// published (default: "a hidden test").
  bool show_hidden_test_names = false;
  /// Package HEAD although files it would hold have uncommitted changes.
  bool allow_dirty = false;
};

/// Writes a Gradescope autograder zip: setup.sh, run_autograder and the
/// course, with JSON twins of its TOML data files (the grader on Ubuntu 22.04
/// is built without toml++). The scripts grade only the selected exercises,
/// so the score's maximum is theirs.
void package_gradescope(const fs::path& course_root, const fs::path& zip_path,
                        const GradescopeOptions& options = {});

}  // namespace grader
