// What the runtime tells ThreadSanitizer. Internal to runtime/src.
//
// Go's race detector sees only the happens-before edges of Go's memory model,
// not the locks inside Go's runtime. Ours must do the same, or a lock that
// guards a channel's bookkeeping would order two senders that Go leaves
// unordered, and hide their races from the student. So under ThreadSanitizer:
// - internal locks are taken blind (BlindLock): their lock/unlock create no
//   edges, and the bookkeeping accesses they guard are not tracked;
// - the edges Go's memory model promises are stated explicitly with
//   acquire()/release() on a sync address (a buffer slot, a parked waiter, the
//   channel's closed flag), around the moves of user values (made visible to
//   ThreadSanitizer again with Visible).
// Without ThreadSanitizer all of this compiles to plain locking.
#pragma once

#include <mutex>

#if defined(__SANITIZE_THREAD__)
#define GOC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOC_TSAN 1
#endif
#endif

#ifdef GOC_TSAN
extern "C" {
void AnnotateIgnoreSyncBegin(const char* file, int line);
void AnnotateIgnoreSyncEnd(const char* file, int line);
void AnnotateIgnoreReadsBegin(const char* file, int line);
void AnnotateIgnoreReadsEnd(const char* file, int line);
void AnnotateIgnoreWritesBegin(const char* file, int line);
void AnnotateIgnoreWritesEnd(const char* file, int line);
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
void __tsan_set_fiber_name(void* fiber, const char* name);
}
#endif

/// Marks a function whose memory accesses ThreadSanitizer must not track:
/// the runtime's per-thread words (which goroutine runs, the exception state)
/// that the fibers of a scheduled run share on main's thread; each fiber is a
/// thread for ThreadSanitizer, so their accesses would look like races.
#ifdef GOC_TSAN
#define GOC_TSAN_UNTRACKED __attribute__((no_sanitize("thread"), noinline))
#else
#define GOC_TSAN_UNTRACKED
#endif

namespace goc::detail::tsan {

/// This thread acquires what was released on `addr`.
inline void acquire(const void* addr) {
#ifdef GOC_TSAN
  __tsan_acquire(const_cast<void*>(addr));
#else
  (void)addr;
#endif
}
/// This thread's history so far is released on `addr`.
inline void release(const void* addr) {
#ifdef GOC_TSAN
  __tsan_release(const_cast<void*>(addr));
#else
  (void)addr;
#endif
}

inline void ignore_accesses_begin() {
#ifdef GOC_TSAN
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
#endif
}
inline void ignore_accesses_end() {
#ifdef GOC_TSAN
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
#endif
}

/// Between these, this thread's synchronization creates no happens-before
/// edges (for the runtime's own one-time set-up, see park_cost_ns).
inline void ignore_sync_begin() {
#ifdef GOC_TSAN
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
#endif
}
inline void ignore_sync_end() {
#ifdef GOC_TSAN
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
#endif
}

/// Locks `m` (a std::mutex or a SpinMutex) without creating a happens-before
/// edge. The ignore-sync region also covers the atomics inside a SpinMutex.
template <class Mutex>
void blind_lock(Mutex& m) {
#ifdef GOC_TSAN
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
  m.lock();
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
#else
  m.lock();
#endif
}
template <class Mutex>
void blind_unlock(Mutex& m) {
#ifdef GOC_TSAN
  AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
  m.unlock();
  AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
#else
  m.unlock();
#endif
}

/// Fibers (the goroutines of a scheduled run, see schedule.cpp): each is a
/// thread of its own for ThreadSanitizer, and switching between them orders
/// nothing (the "no sync" flag), as taking turns orders nothing in Go.
inline void* current_fiber() {
#ifdef GOC_TSAN
  return __tsan_get_current_fiber();
#else
  return nullptr;
#endif
}
inline void* create_fiber(const char* name) {
#ifdef GOC_TSAN
  void* f = __tsan_create_fiber(0);
  __tsan_set_fiber_name(f, name);
  return f;
#else
  (void)name;
  return nullptr;
#endif
}
inline void destroy_fiber(void* fiber) {
#ifdef GOC_TSAN
  __tsan_destroy_fiber(fiber);
#else
  (void)fiber;
#endif
}
/// Call right before switching the thread's stack to `fiber`, in the
/// function that switches: a macro, not a function, since ThreadSanitizer
/// would see a function's entry on one fiber's shadow stack and its exit on
/// the next one's (clang does not inline an instrumented function into the
/// untracked switch_fiber, and the unbalanced exit emptied a new fiber's
/// shadow stack below its start).
#ifdef GOC_TSAN
#define GOC_TSAN_SWITCH_TO_FIBER(fiber) __tsan_switch_to_fiber((fiber), 1 /* __tsan_switch_to_fiber_no_sync */)
#else
#define GOC_TSAN_SWITCH_TO_FIBER(fiber) ((void)(fiber))
#endif

/// An internal lock: invisible to ThreadSanitizer, and so is what it guards.
template <class Mutex>
class BlindLock {
 public:
  explicit BlindLock(Mutex& m) : m_(m) { lock(); }
  ~BlindLock() {
    if (held_) unlock();
  }
  BlindLock(const BlindLock&) = delete;
  BlindLock& operator=(const BlindLock&) = delete;
  void lock() {
    blind_lock(m_);
    ignore_accesses_begin();
    held_ = true;
  }
  void unlock() {
    held_ = false;
    ignore_accesses_end();
    blind_unlock(m_);
  }

 private:
  Mutex& m_;
  bool held_ = false;
};

/// Inside a BlindLock: makes accesses to user values tracked again.
class Visible {
 public:
  Visible() { ignore_accesses_end(); }
  ~Visible() { ignore_accesses_begin(); }
  Visible(const Visible&) = delete;
  Visible& operator=(const Visible&) = delete;
};

}  // namespace goc::detail::tsan
