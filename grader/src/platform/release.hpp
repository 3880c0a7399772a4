// Writing the student repository.
#pragma once

#include "manifest.hpp"

namespace grader {

/// Copies the course to `out` without solutions, hidden tests or instructor-only
/// parts, adds a README for students and a GitHub Classroom workflow.
void release_course(const fs::path& course_root, const fs::path& out, bool force);

}  // namespace grader
