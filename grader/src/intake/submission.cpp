#include "submission.hpp"

#include <optional>
#include <algorithm>
#include <set>

namespace grader {

bool SubmissionScan::has_any(const Exercise& e) const {
  auto it = files.find(e.id);
  return it != files.end() && !it->second.empty();
}

std::vector<std::string> SubmissionScan::where_found(const std::vector<const Exercise*>& exercises) const {
  std::vector<std::string> lines;
  for (auto* e : exercises) {
    auto it = files.find(e->id);
    if (it == files.end()) continue;
    for (auto& [name, f] : it->second)
      lines.push_back(e->id + ": " + name + " found at " + f.found_at + (f.flat ? " (flat upload)" : ""));
  }
  return lines;
}

std::string SubmissionScan::why_missing(const Exercise& e, const std::string& name) const {
  auto it = ambiguous.find(fs::path(name).filename().string());
  if (it == ambiguous.end()) return name + " was not submitted";
  return name + " was uploaded without its folder, and " + std::to_string(it->second.size()) +
         " exercises have a file of that name, so it was not graded; put it in exercises/" + e.id + "/";
}

std::string SubmissionScan::why_not_submitted(const Exercise& e) const {
  for (auto& name : e.student_files)
    if (ambiguous.count(fs::path(name).filename().string())) return why_missing(e, name);
  return "none of " + join(e.student_files, ", ") + " was in the submission";
}

namespace {

using FoundFiles = std::map<std::string, std::map<std::string, SubmittedFile>>;

// What is at `p`, when anything is: links and special files are found but
// never used, whatever they point to.
std::optional<SubmittedFile> inspect(const fs::path& p, const fs::path& submission) {
  std::error_code ec;
  auto st = fs::symlink_status(p, ec);
  if (ec || !fs::exists(st)) return std::nullopt;
  SubmittedFile sf{p, "", p.lexically_relative(submission).generic_string()};
  if (fs::is_symlink(st))
    sf.problem = "is a symbolic link (not followed)";
  else if (!fs::is_regular_file(st))
    sf.problem = "is not a regular file";
  else if (fs::file_size(p, ec) > kMaxStudentFileBytes)
    sf.problem = "is larger than 1 MiB";
  return sf;
}

// The student files under `root`/<id>/.
FoundFiles find_in_exercise_folders(const fs::path& root, const Manifest& m, const fs::path& submission) {
  FoundFiles found;
  for (auto& e : m.exercises)
    for (auto& f : e.student_files)
      if (auto sf = inspect(root / e.id / f, submission)) found[e.id][f] = *sf;
  return found;
}

// A student file's name without folders -> the exercises (and their name
// for it) that have a file of that name.
using FlatOwners = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

FlatOwners flat_owners(const Manifest& m) {
  FlatOwners owners;
  for (auto& e : m.exercises)
    for (auto& f : e.student_files) owners[fs::path(f).filename().string()].push_back({e.id, f});
  return owners;
}

// The files directly in `root` that have a student file's name.
std::map<std::string, SubmittedFile> find_flat(const fs::path& root, const FlatOwners& owners,
                                               const fs::path& submission) {
  std::map<std::string, SubmittedFile> found;
  for (auto& [name, exercises] : owners)
    if (auto sf = inspect(root / name, submission)) {
      sf->flat = true;
      found[name] = *sf;
    }
  return found;
}

std::size_t count_files(const FoundFiles& f) {
  std::size_t n = 0;
  for (auto& [id, files] : f) n += files.size();
  return n;
}

// The submission itself, or the one folder an archive often wraps it in.
std::optional<fs::path> single_top_folder(const fs::path& dir) {
  std::vector<fs::path> top_dirs;
  for (auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && !entry.is_symlink() && entry.path().filename() != "__MACOSX")
      top_dirs.push_back(entry.path());
  if (top_dirs.size() != 1) return std::nullopt;
  return top_dirs[0];
}

// Of the places exercise folders may be, the one holding the most student files.
void take_exercise_folders(SubmissionScan& scan, const fs::path& dir, const std::optional<fs::path>& top,
                           const Manifest& manifest) {
  std::vector<fs::path> candidates = {dir / "exercises", dir};
  if (top) {
    candidates.push_back(*top / "exercises");
    candidates.push_back(*top);
  }
  scan.exercises_root = dir;
  std::size_t best = 0;
  for (auto& c : candidates) {
    if (!fs::is_directory(c)) continue;
    auto found = find_in_exercise_folders(c, manifest, dir);
    if (count_files(found) > best) {
      best = count_files(found);
      scan.files = std::move(found);
      scan.exercises_root = c;
    }
  }
}

// Flat files (from the submission or its one top-level folder, whichever has
// more) go to the one exercise with a file of their name. Returns the flat
// files not taken, each with the reason, by their path in the submission.
std::map<fs::path, std::string> take_flat_files(SubmissionScan& scan, const fs::path& dir,
                                                const std::optional<fs::path>& top, const Manifest& manifest) {
  FlatOwners owners = flat_owners(manifest);
  auto flat = find_flat(dir, owners, dir);
  if (top)
    if (auto inside = find_flat(*top, owners, dir); inside.size() > flat.size()) flat = std::move(inside);
  std::map<fs::path, std::string> not_taken;
  for (auto& [name, file] : flat) {
    const auto& claims = owners.at(name);
    if (claims.size() > 1) {
      std::vector<std::string> ids;
      for (auto& [id, as] : claims) ids.push_back(id);
      scan.ambiguous[name] = ids;
      not_taken[file.path] = name + " belongs to " + std::to_string(ids.size()) + " exercises (" + join(ids, ", ") +
                             "), so it was not graded; put it in its exercise's folder";
      continue;
    }
    auto& [id, as] = claims.front();
    auto& slot = scan.files[id];
    if (auto kept = slot.find(as); kept != slot.end()) {
      not_taken[file.path] = file.found_at + " is a second copy: " + kept->second.found_at + " was graded";
      continue;
    }
    slot[as] = file;
  }
  return not_taken;
}

// Everything else is listed as ignored (version control folders in one line),
// the flat files not taken first, since each says why.
void list_ignored(SubmissionScan& scan, const fs::path& dir, const std::map<fs::path, std::string>& not_taken) {
  constexpr std::size_t kListed = 40;
  auto ignore = [&](const std::string& what) {
    ++scan.ignored_total;
    if (scan.ignored.size() < kListed) scan.ignored.push_back(what);
  };
  std::set<fs::path> used;
  for (auto& [id, files] : scan.files)
    for (auto& [name, f] : files) used.insert(fs::weakly_canonical(f.path));
  for (auto& [path, why] : not_taken) {
    used.insert(fs::weakly_canonical(path));
    ignore(path.lexically_relative(dir).generic_string());
    scan.notes.push_back(why);
  }
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const auto& entry = *it;
    std::string rel = fs::relative(entry.path(), dir).generic_string();
    if (entry.is_directory() && !entry.is_symlink()) {
      auto name = entry.path().filename().string();
      if (name == ".git" || name == "build" || name == "__MACOSX") {
        it.disable_recursion_pending();
        ignore(rel + "/ (whole folder)");
      }
      continue;
    }
    if (!used.count(fs::weakly_canonical(entry.path()))) ignore(rel);
  }
}

}  // namespace

SubmissionScan scan_submission(const fs::path& dir, const Manifest& manifest) {
  if (!fs::is_directory(dir)) throw UserError(dir.string() + " is not a folder");
  auto top = single_top_folder(dir);
  SubmissionScan scan;
  take_exercise_folders(scan, dir, top, manifest);
  auto not_taken = take_flat_files(scan, dir, top, manifest);
  list_ignored(scan, dir, not_taken);
  return scan;
}

void refuse_single_submission_folder(const fs::path& folder, const Manifest& manifest) {
  std::set<std::string> student_names;
  for (auto& e : manifest.exercises)
    for (auto& f : e.student_files) student_names.insert(fs::path(f).filename().string());
  std::vector<std::string> found;
  for (auto& entry : fs::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if ((entry.is_regular_file() && student_names.count(name)) || (entry.is_directory() && name == "exercises"))
      found.push_back(name);
  }
  if (found.empty()) return;
  std::sort(found.begin(), found.end());
  if (found.size() > 3) found.resize(3), found.push_back("...");
  throw UserError(folder.string() + " looks like one student's submission (it holds " + join(found, ", ") +
                  "). Grade it with `./course grade " + folder.string() +
                  "`; grade-all takes a folder that holds one folder or .zip/.tar.gz archive per student.");
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
      notes.push_back(scan.why_missing(e, f) + ": graded as the unchanged skeleton");
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
