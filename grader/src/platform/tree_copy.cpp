#include "tree_copy.hpp"

namespace grader {

namespace {

bool excluded(const std::string& rel, const std::vector<std::string>& patterns) {
  for (auto& p : patterns)
    if (rel == p || starts_with(rel, p + "/")) return true;
  return false;
}

}  // namespace

std::size_t copy_filtered(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip) {
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).generic_string();
    if (excluded(rel, skip)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    fs::path target = out / rel;
    if (it->is_symlink()) continue;
    if (it->is_directory()) {
      fs::create_directories(target);
    } else if (it->is_regular_file()) {
      fs::create_directories(target.parent_path());
      fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
      fs::permissions(target, fs::status(it->path()).permissions());
      ++files;
    }
  }
  return files;
}

}  // namespace grader
