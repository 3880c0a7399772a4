// The GitHub Classroom autograding workflow of the student release.
#pragma once

#include <string>

#include "manifest.hpp"

namespace grader {

/// The text of `.github/workflows/classroom.yml`: one command-grader step per
/// exercise (its public tests and race check) and the reporter that adds them up.
std::string classroom_workflow(const Manifest& m);

}  // namespace grader
