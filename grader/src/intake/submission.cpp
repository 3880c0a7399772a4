#include "submission.hpp"

#include <set>

namespace grader {

bool SubmissionScan::has_any(const Exercise& e) const {
  auto it = files.find(e.id);
  return it != files.end() && !it->second.empty();
}

namespace {

std::map<std::string, std::map<std::string, SubmittedFile>> find_files(const fs::path& root,
                                                                        const Manifest& m) {
  std::map<std::string, std::map<std::string, SubmittedFile>> found;
  for (auto& e : m.exercises) {
    for (auto& f : e.student_files) {
      fs::path p = root / e.id / f;
      std::error_code ec;
      auto st = fs::symlink_status(p, ec);
      if (ec || !fs::exists(st)) continue;
      SubmittedFile sf{p, ""};
      if (fs::is_symlink(st))
        sf.problem = "is a symbolic link (not followed)";
      else if (!fs::is_regular_file(st))
        sf.problem = "is not a regular file";
      else if (fs::file_size(p, ec) > kMaxStudentFileBytes)
        sf.problem = "is larger than 1 MiB";
      found[e.id][f] = sf;
    }
  }
  return found;
}

std::size_t count_files(const std::map<std::string, std::map<std::string, SubmittedFile>>& f) {
  std::size_t n = 0;
  for (auto& [id, files] : f) n += files.size();
  return n;
}

}  // namespace

SubmissionScan scan_submission(const fs::path& dir, const Manifest& manifest) {
  if (!fs::is_directory(dir)) throw UserError(dir.string() + " is not a folder");
  std::vector<fs::path> candidates = {dir / "exercises", dir};
  // An archive often wraps everything in one top-level folder.
  std::vector<fs::path> top_dirs;
  for (auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && !entry.is_symlink() && entry.path().filename() != "__MACOSX")
      top_dirs.push_back(entry.path());
  if (top_dirs.size() == 1) {
    candidates.push_back(top_dirs[0] / "exercises");
    candidates.push_back(top_dirs[0]);
  }
  SubmissionScan scan;
  scan.exercises_root = dir;
  std::size_t best = 0;
  for (auto& c : candidates) {
    if (!fs::is_directory(c)) continue;
    auto found = find_files(c, manifest);
    if (count_files(found) > best) {
      best = count_files(found);
      scan.files = std::move(found);
      scan.exercises_root = c;
    }
  }
  // Everything else is listed as ignored (version control folders in one line).
  std::set<fs::path> used;
  for (auto& [id, files] : scan.files)
    for (auto& [name, f] : files) used.insert(fs::weakly_canonical(f.path));
  constexpr std::size_t kListed = 40;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const auto& entry = *it;
    std::string rel = fs::relative(entry.path(), dir).generic_string();
    if (entry.is_directory() && !entry.is_symlink()) {
      auto name = entry.path().filename().string();
      if (name == ".git" || name == "build" || name == "__MACOSX") {
        it.disable_recursion_pending();
        ++scan.ignored_total;
        if (scan.ignored.size() < kListed) scan.ignored.push_back(rel + "/ (whole folder)");
      }
      continue;
    }
    if (used.count(fs::weakly_canonical(entry.path()))) continue;
    ++scan.ignored_total;
    if (scan.ignored.size() < kListed) scan.ignored.push_back(rel);
  }
  return scan;
}

std::vector<std::string> build_overlay(const fs::path& pristine, const SubmissionScan& scan,
                                       const Exercise& e, const fs::path& overlay) {
  // Only the student files go in: the contract header, tests and everything
  // else come from the instructor's tree through the build's include paths.
  std::vector<std::string> notes;
  fs::path target = overlay / e.id;
  fs::remove_all(target);
  fs::create_directories(target);
  auto it = scan.files.find(e.id);
  for (auto& f : e.student_files) {
    const SubmittedFile* sf = nullptr;
    if (it != scan.files.end()) {
      auto jt = it->second.find(f);
      if (jt != it->second.end()) sf = &jt->second;
    }
    fs::path source = pristine / e.id / f;
    if (!sf)
      notes.push_back(f + " was not submitted: graded as the unchanged skeleton");
    else if (!sf->problem.empty())
      notes.push_back(f + " " + sf->problem + ": graded as the unchanged skeleton");
    else
      source = sf->path;
    fs::create_directories((target / f).parent_path());
    fs::copy_file(source, target / f, fs::copy_options::overwrite_existing);
  }
  // Readable by the unprivileged user that compiles and runs student code.
  std::error_code ec;
  for (fs::path p = target; p != overlay.parent_path() && !p.empty(); p = p.parent_path())
    fs::permissions(p, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec, ec);
  for (auto& entry : fs::recursive_directory_iterator(target))
    fs::permissions(entry.path(),
                    entry.is_directory() ? fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                               fs::perms::others_read | fs::perms::others_exec
                                         : fs::perms::owner_read | fs::perms::owner_write |
                                               fs::perms::group_read | fs::perms::others_read,
                    ec);
  return notes;
}

}  // namespace grader
