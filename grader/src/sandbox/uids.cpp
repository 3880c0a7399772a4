#include "uids.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace grader {

namespace {

// A folder for lock files that only this user can write (a folder others
// could write would let them hold our locks or plant links).
bool usable_lock_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) return false;
  if ((st.st_mode & 0077) != 0 && chmod(dir.c_str(), 0700) != 0) return false;
  return access(dir.c_str(), W_OK) == 0;
}

fs::path default_uid_lock_dir() {
  fs::path run_dir = "/run/goc-grader/uids";
  if (running_as_root() && usable_lock_dir(run_dir)) return run_dir;
  fs::path tmp_dir = "/tmp/goc-grader-uids-" + std::to_string(geteuid());
  if (usable_lock_dir(tmp_dir)) return tmp_dir;
  throw UserError("cannot create a private folder for uid lock files (" + run_dir.string() + " or " +
                  tmp_dir.string() + "): make /run or /tmp writable, or remove a " + tmp_dir.string() +
                  " that belongs to another user");
}

}  // namespace

UidPool::UidPool(fs::path lock_dir) {
  if (lock_dir.empty()) {
    lock_dir_ = default_uid_lock_dir();
  } else if (usable_lock_dir(lock_dir)) {
    lock_dir_ = std::move(lock_dir);
  } else {
    throw UserError("cannot use " + lock_dir.string() + " for uid lock files: it must be a folder of this user");
  }
}

UidPool::~UidPool() {
  for (auto& [uid, fd] : held_) close(fd);
}

bool UidPool::try_lock(unsigned uid) {
  fs::path file = lock_dir_ / (std::to_string(uid) + ".lock");
  int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  // Another process holding it makes this fail at once (LOCK_NB): skip the uid.
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return false;
  }
  held_[uid] = fd;
  return true;
}

unsigned UidPool::acquire() {
  std::lock_guard guard(mutex_);
  if (!held_.count(kNobodyId) && try_lock(kNobodyId)) return kNobodyId;
  for (unsigned uid = kSlotUidBase; uid < kSlotUidBase + kSlotCount; ++uid)
    if (!held_.count(uid) && getpwuid(uid) == nullptr && try_lock(uid)) return uid;
  throw UserError("all " + std::to_string(kSlotCount + 1) + " sandbox uids are leased by graders on this host (" +
                  lock_dir_.string() + "): wait for some to finish");
}

void UidPool::release(unsigned uid) {
  std::lock_guard guard(mutex_);
  auto it = held_.find(uid);
  if (it == held_.end()) return;
  close(it->second);  // closing the last descriptor drops the flock
  held_.erase(it);
}

}  // namespace grader
