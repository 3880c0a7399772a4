// Instructor files invisible to student code: each sandboxed run gets a
// private mount namespace in which chosen folders (solutions/, hidden/,
// tests/, other submissions) are covered by an empty read-only tmpfs, and its
// PID 1 mounts a /proc of its own PID namespace (so it cannot read other
// processes' command lines, environments or mount views).
#pragma once

#include <string>
#include <vector>

#include "util.hpp"

namespace grader {

/// The mounts one run makes, worked out by the grader and sent to the run's
/// leader (leader.hpp), which makes them with system calls alone.
struct MountPlan {
  std::vector<std::string> hidden;  ///< folders covered by an empty tmpfs
  /// Folders inside a hidden one that stay visible: each is bound back from a
  /// descriptor opened before the tmpfs covers it.
  std::vector<std::string> kept;
  /// For each kept folder, the folders to create inside the tmpfs so that it
  /// has a mount point (outermost first).
  std::vector<std::vector<std::string>> kept_mount_points;
  /// Hidden folders inside kept ones: covered after the kept ones are back.
  std::vector<std::string> hidden_inside_kept;

  bool empty() const { return hidden.empty() && hidden_inside_kept.empty(); }
};

/// The plan for `hidden` and `kept`: folders that do not exist are left out,
/// and so is a hidden folder inside another (the outer one covers it). A kept
/// folder not inside any hidden one needs nothing.
MountPlan plan_mounts(const std::vector<fs::path>& hidden, const std::vector<fs::path>& kept);

/// In the run's leader, after unshare(CLONE_NEWNS): makes every mount
/// private (nothing propagates back to the host), then applies `plan`.
/// Returns nullptr, or the step that failed (errno says why).
const char* apply_mounts(const MountPlan& plan);

/// In PID 1 of a new PID namespace: a /proc that shows that namespace only.
const char* mount_own_proc();

/// Whether this process can make a private mount namespace with a tmpfs in it
/// (root, or a kernel that allows unprivileged user namespaces).
bool mount_isolation_available();

/// The fallback where namespaces are not available: while it lives, the
/// folders are closed to "others" (the sandbox uids: nobody and uids no
/// account has); their modes come back when it ends, also on an error.
/// It cannot hide anything from code running as the grader's own user, and a
/// grader killed before the end leaves the folders closed (run it again, or
/// chmod o+rx them).
class ClosedFolders {
 public:
  explicit ClosedFolders(const std::vector<fs::path>& folders);
  ~ClosedFolders();
  ClosedFolders(const ClosedFolders&) = delete;
  ClosedFolders& operator=(const ClosedFolders&) = delete;
  const std::vector<fs::path>& closed() const { return closed_; }

 private:
  std::vector<fs::path> closed_;
  std::vector<fs::perms> modes_;
};

}  // namespace grader
