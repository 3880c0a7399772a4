// The GitHub Classroom autograding workflow of the student release.
#pragma once

#include <string>

#include "manifest.hpp"

namespace grader {

/// Minutes the command grader gives the first step, which on a fresh runner
/// also builds the grader and the runtime in both presets (measured: see
/// grader/README.md, "GitHub Classroom"), and each later step.
inline constexpr int kClassroomFirstStepMinutes = 30;
inline constexpr int kClassroomStepMinutes = 10;

/// The text of `.github/workflows/classroom.yml`: one command-grader step per
/// exercise (its public tests and race check) and the reporter that adds them up.
std::string classroom_workflow(const Manifest& m);

}  // namespace grader
