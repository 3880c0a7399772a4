// The Gradescope autograder package.
#pragma once

#include "manifest.hpp"

namespace grader {

/// Writes a Gradescope autograder zip: setup.sh, run_autograder and the course.
void package_gradescope(const fs::path& course_root, const fs::path& zip_path);

}  // namespace grader
