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
  std::string found_at;   ///< `path` relative to the submission, as the student sees it
  bool flat = false;      ///< uploaded without its exercise's folder
};

struct SubmissionScan {
  fs::path exercises_root;  ///< the folder holding <id>/<file> in the submission
  /// exercise id -> student file name -> what was found
  std::map<std::string, std::map<std::string, SubmittedFile>> files;
  std::vector<std::string> ignored;  ///< other files, relative to the submission (capped list)
  std::size_t ignored_total = 0;
  /// A file uploaded without its folder whose name more than one exercise
  /// uses: file name -> those exercises. Such a file is not graded.
  std::map<std::string, std::vector<std::string>> ambiguous;
  /// Why files in a student file's name were not graded (ambiguous, second copy).
  std::vector<std::string> notes;

  bool has_any(const Exercise& e) const;
  /// One line per student file of `exercises` found: which file, and where.
  std::vector<std::string> where_found(const std::vector<const Exercise*>& exercises) const;
  /// Why none of the exercise's files were taken, for its summary.
  std::string why_not_submitted(const Exercise& e) const;
  /// Why the exercise's file `name` was not taken, for the exercise's notes.
  std::string why_missing(const Exercise& e, const std::string& name) const;
};

/// Largest student file accepted.
constexpr std::uintmax_t kMaxStudentFileBytes = 1 << 20;

/// Looks for the manifest's student files in `dir`, which may be a clone of the
/// course (exercises/<id>/...), the exercises folder itself (<id>/...), or
/// either of these inside one top-level folder (as archives often are). Files
/// uploaded without folders (flat, in `dir` or its one top-level folder) are
/// taken too when their name belongs to exactly one exercise; a copy in the
/// exercise's folder wins over a flat one.
SubmissionScan scan_submission(const fs::path& dir, const Manifest& manifest);

/// For grade-all, whose folder holds one folder or archive per student:
/// throws UserError when `folder` itself looks like one student's submission
/// (student files of the manifest at its top, or an exercises/ folder), which
/// grade-all would otherwise refuse file by file.
void refuse_single_submission_folder(const fs::path& folder, const Manifest& manifest);

/// Makes `overlay`/<id>/ a copy of the instructor's `pristine`/<id>/ with the
/// submitted student files laid over it. Returns notes for the report
/// (missing files graded as the skeleton, refused files).
std::vector<std::string> build_overlay(const fs::path& pristine_exercises, const SubmissionScan& scan,
                                       const Exercise& exercise, const fs::path& overlay);

}  // namespace grader
