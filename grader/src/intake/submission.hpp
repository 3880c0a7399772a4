// Finding a submission's student files, and laying them over a pristine copy
// of the instructor's exercise folders.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "manifest.hpp"

namespace grader {

struct SubmittedFile {
  fs::path path;          ///< in the submission
  std::string problem;    ///< why it cannot be used (link, too large); empty when fine
};

struct SubmissionScan {
  fs::path exercises_root;  ///< the folder holding <id>/<file> in the submission
  /// exercise id -> student file name -> what was found
  std::map<std::string, std::map<std::string, SubmittedFile>> files;
  std::vector<std::string> ignored;  ///< other files, relative to the submission (capped list)
  std::size_t ignored_total = 0;

  bool has_any(const Exercise& e) const;
};

/// Largest student file accepted.
constexpr std::uintmax_t kMaxStudentFileBytes = 1 << 20;

/// Looks for the manifest's student files in `dir`, which may be a clone of the
/// course (exercises/<id>/...), the exercises folder itself (<id>/...), or
/// either of these inside one top-level folder (as archives often are).
SubmissionScan scan_submission(const fs::path& dir, const Manifest& manifest);

/// Makes `overlay`/<id>/ a copy of the instructor's `pristine`/<id>/ with the
/// submitted student files laid over it. Returns notes for the report
/// (missing files graded as the skeleton, refused files).
std::vector<std::string> build_overlay(const fs::path& pristine_exercises, const SubmissionScan& scan,
                                       const Exercise& exercise, const fs::path& overlay);

}  // namespace grader
