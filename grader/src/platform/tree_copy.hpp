// Copying a course tree while leaving some of its paths out: as it is on disk
// (the Gradescope package), or as git's last commit has it (the release).
#pragma once

#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// Copies `root` to `out` file by file, skipping every path (relative to
/// `root`) in `skip` and everything under it, and symbolic links; keeps the
/// permissions. Returns how many files were copied.
std::size_t copy_filtered(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip);

/// True when `rel` (relative to the course root) is one of `skip` or under one.
bool is_skipped(const std::string& rel, const std::vector<std::string>& skip);

/// The commit `root` is at, shortened ("3f2a9c1"). Throws UserError saying
/// what to do when `root` is not in a git repository or has no commit yet.
std::string head_commit(const fs::path& root);

/// Tracked files under `root` whose content differs from HEAD's, staged or
/// not, as "modified: exercises/x/y.cpp" (paths relative to `root`).
std::vector<std::string> uncommitted_changes(const fs::path& root);

/// The uncommitted changes under `root` outside `skip`, which `what`
/// ("release", "package"), cut from HEAD, leaves out. Unless `allow_dirty`,
/// throws UserError listing them instead, saying how to go on (commit, stash,
/// or --allow-dirty).
std::vector<std::string> changes_left_out(const fs::path& root, const std::vector<std::string>& skip,
                                          const std::string& what, bool allow_dirty);

/// Like copy_filtered, but of `root` as HEAD has it (`git archive`): no
/// uncommitted change and no untracked file is copied. `root` may be a folder
/// inside the repository. Returns how many files were copied.
std::size_t copy_committed(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip);

}  // namespace grader
