// Copying a course tree while leaving some of its paths out.
#pragma once

#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// Copies `root` to `out` file by file, skipping every path (relative to
/// `root`) in `skip` and everything under it, and symbolic links; keeps the
/// permissions. Returns how many files were copied.
std::size_t copy_filtered(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip);

}  // namespace grader
