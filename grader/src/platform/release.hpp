// Writing the student repository.
#pragma once

#include "manifest.hpp"

namespace grader {

/// The file a release holds at its root, by which `./course` knows it is in a
/// student's repository (and offers only the student commands).
inline constexpr const char* kReleaseMarker = ".course-release";

struct ReleaseOptions {
  bool force = false;        ///< replace a non-empty output folder
  bool allow_dirty = false;  ///< release HEAD although released files have uncommitted changes
};

/// Writes the student repository to `out` from the course's last commit (git
/// HEAD; untracked files and uncommitted changes never go in): without
/// solutions, hidden tests, wrong answers or instructor documents, with a
/// README for students, the GitHub Classroom workflow and the skeletons for
/// `reset`. Refuses (UserError) when files it would release differ from HEAD,
/// unless `options.allow_dirty`.
void release_course(const fs::path& course_root, const fs::path& out, const ReleaseOptions& options);

}  // namespace grader
