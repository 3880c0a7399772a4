// Writing the student repository, and the Gradescope autograder package.
#pragma once

#include "manifest.hpp"

namespace grader {

/// Copies the course to `out` without solutions, hidden tests or instructor-only
/// parts, adds a README for students and a GitHub Classroom workflow.
void release_course(const fs::path& course_root, const fs::path& out, bool force);

/// Writes a Gradescope autograder zip: setup.sh, run_autograder and the course.
void package_gradescope(const fs::path& course_root, const fs::path& zip_path);

}  // namespace grader
