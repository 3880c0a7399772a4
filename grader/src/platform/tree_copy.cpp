#include "tree_copy.hpp"

#include "process.hpp"

namespace grader {

namespace {

// Runs git in `dir` and returns what it printed; throws with git's message
// and `advice` when it fails.
std::string git(const fs::path& dir, const std::vector<std::string>& args, const std::string& advice) {
  RunOptions o;
  o.argv = {"git"};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.cwd = dir;
  o.timeout_seconds = 300;
  RunResult r = run(o);
  if (!r.ok())
    throw UserError("`git " + join(args, " ") + "` in " + dir.string() + " failed (" +
                    (r.start_error.empty() ? r.describe_end(o.timeout_seconds) : r.start_error) + "):\n" +
                    trim(r.output) + "\n" + advice);
  return r.output;
}

const char* kCommitAdvice =
    "The release is cut from git's last commit: run it in a git clone of the course, or commit the course "
    "first (git init && git add -A && git commit -m 'Course').";

// The status letters of `git diff --name-status`, in words.
std::string change_word(char status) {
  switch (status) {
    case 'A': return "added";
    case 'D': return "deleted";
    case 'T': return "changed type";
    default: return "modified";
  }
}

}  // namespace

bool is_skipped(const std::string& rel, const std::vector<std::string>& skip) {
  for (auto& p : skip)
    if (rel == p || starts_with(rel, p + "/")) return true;
  return false;
}

std::size_t copy_filtered(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip) {
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).generic_string();
    if (is_skipped(rel, skip)) {
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

std::string head_commit(const fs::path& root) {
  git(root, {"rev-parse", "--show-toplevel"}, kCommitAdvice);
  return trim(git(root, {"rev-parse", "--short", "--verify", "HEAD^{commit}"},
                  "The repository has no commit yet. " + std::string(kCommitAdvice)));
}

std::vector<std::string> uncommitted_changes(const fs::path& root) {
  // Staged and unstaged together: the working tree against HEAD, under root.
  std::string out = git(root, {"diff", "--name-status", "--no-renames", "--relative", "HEAD"}, kCommitAdvice);
  std::vector<std::string> changes;
  for (auto& line : split_lines(out)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) continue;
    changes.push_back(change_word(line[0]) + ": " + line.substr(tab + 1));
  }
  return changes;
}

std::vector<std::string> changes_left_out(const fs::path& root, const std::vector<std::string>& skip,
                                          const std::string& what, bool allow_dirty) {
  std::vector<std::string> changes;
  for (auto& change : uncommitted_changes(root))
    if (!is_skipped(change.substr(change.find(": ") + 2), skip)) changes.push_back(change);
  if (changes.empty() || allow_dirty) return changes;
  std::string listed;
  for (std::size_t i = 0; i < changes.size() && i < 20; ++i) listed += "  " + changes[i] + "\n";
  if (changes.size() > 20) listed += "  ... and " + std::to_string(changes.size() - 20) + " more\n";
  throw UserError("the course has uncommitted changes to files the " + what + " would hold:\n" + listed + "The " +
                  what + " is cut from the last commit (HEAD), so it would leave them out. Commit them (git commit "
                  "-a), or set them aside (git stash), or pass --allow-dirty to use HEAD without them. Untracked "
                  "files are never included.");
}

std::size_t copy_committed(const fs::path& root, const fs::path& out, const std::vector<std::string>& skip) {
  std::string prefix = trim(git(root, {"rev-parse", "--show-prefix"}, kCommitAdvice));
  if (ends_with(prefix, "/")) prefix.pop_back();
  // From the top: in a subfolder, git archive would look for that subfolder
  // again inside the tree it was given.
  fs::path top = trim(git(root, {"rev-parse", "--show-toplevel"}, kCommitAdvice));
  fs::path staging = fs::temp_directory_path() / ("goc-release-" + random_token(6));
  fs::create_directories(staging / "tree");
  try {
    git(top, {"archive", "--format=tar", "--output=" + (staging / "head.tar").string(), "HEAD:" + prefix},
        kCommitAdvice);
    RunOptions untar;
    untar.argv = {"tar", "-xf", (staging / "head.tar").string(), "-C", (staging / "tree").string()};
    RunResult r = run(untar);
    if (!r.ok()) throw UserError("unpacking git's archive of HEAD failed:\n" + r.output);
    std::size_t files = copy_filtered(staging / "tree", out, skip);
    fs::remove_all(staging);
    return files;
  } catch (...) {
    fs::remove_all(staging);
    throw;
  }
}

}  // namespace grader
