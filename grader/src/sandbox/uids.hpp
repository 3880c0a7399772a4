// Uids for student code, leased host-wide: RLIMIT_NPROC counts all the
// threads of a uid, so two programs (of this grader or of another grader
// process on the same host) that share a uid share one thread budget, and a
// thread bomb in one starves the other.
#pragma once

#include <map>
#include <mutex>

#include "process.hpp"

namespace grader {

/// Uids for student code when the grader runs as root, one per exercise
/// graded at the same time. The first is nobody's; the others come from a
/// high range no account uses (kSlotUidBase + i, skipping any the password
/// database knows). Each uid handed out is held with an exclusive flock on a
/// lock file of its own (in a folder only the grader's user can write), so
/// any number of grader processes on one host never hand out the same uid.
class UidPool {
 public:
  static constexpr unsigned kSlotUidBase = 0x7fff0000;
  /// How many uids of the high range are tried before giving up.
  static constexpr unsigned kSlotCount = 4096;

  /// `lock_dir` empty: /run/goc-grader/uids, or /tmp/goc-grader-uids-<euid>
  /// where /run cannot be written.
  explicit UidPool(fs::path lock_dir = {});
  ~UidPool();
  UidPool(const UidPool&) = delete;
  UidPool& operator=(const UidPool&) = delete;

  /// A uid no other lease (here or in another process) holds. Throws
  /// UserError when every candidate is taken.
  unsigned acquire();
  void release(unsigned uid);
  const fs::path& lock_dir() const { return lock_dir_; }

 private:
  bool try_lock(unsigned uid);

  fs::path lock_dir_;
  std::mutex mutex_;
  std::map<unsigned, int> held_;  ///< uid -> the open lock file holding its flock
};

/// Holds a uid of the pool for its lifetime.
class UidLease {
 public:
  explicit UidLease(UidPool& pool) : pool_(pool), uid_(pool.acquire()) {}
  ~UidLease() { pool_.release(uid_); }
  UidLease(const UidLease&) = delete;
  UidLease& operator=(const UidLease&) = delete;
  unsigned uid() const { return uid_; }
  /// `sandbox`, running its programs as this lease's uid.
  Sandbox applied_to(Sandbox sandbox) const {
    sandbox.uid = uid_;
    return sandbox;
  }

 private:
  UidPool& pool_;
  unsigned uid_;
};

}  // namespace grader
