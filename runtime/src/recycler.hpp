// Memory for the records the runtime makes and ends once per goroutine (its
// G, its fiber), kept per thread for the next ones, with a pool that all
// threads share behind: Go keeps free Gs the same way, per processor and in
// a global list. Internal to runtime/src.
//
// Why not plain new and delete: a goroutine is made on one thread and most
// often ends on another. The C library's allocator then hands the memory
// back on the wrong thread, so the maker's next allocation finds its own
// cache empty and takes the slow path, and both threads pull the same cache
// lines back and forth: in a loop that starts goroutines, malloc and free
// were 45% of the CPU. Here a thread with more than kKeep spare blocks
// passes kBatch of them to the pool, and a thread with none takes kBatch
// back, so blocks flow from the threads that end goroutines to the ones
// that start them, a batch at a time.
//
// Under ThreadSanitizer it is plain new and delete: the race detector knows
// that freed memory starts afresh, and would take a block reused through
// the pool (its lock is blind) for a race between its old and new owners.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "goc/detail/sched.hpp"  // SpinMutex
#include "tsan.hpp"              // defines GOC_TSAN under ThreadSanitizer

namespace goc::detail {

template <class T>
class Recycler {
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "blocks come from plain operator new");

 public:
  // A new T, in a block this thread kept, or from the pool, or new memory.
  template <class... Args>
  static T* make(Args&&... args) {
#ifdef GOC_TSAN
    return new T(std::forward<Args>(args)...);
#else
    void* block = take();
    try {
      return new (block) T(std::forward<Args>(args)...);
    } catch (...) {
      give(block);
      throw;
    }
#endif
  }

  // Ends `obj` and keeps its block (null: nothing).
  static void recycle(T* obj) noexcept {
#ifdef GOC_TSAN
    delete obj;
#else
    if (!obj) return;
    obj->~T();
    give(obj);
#endif
  }

 private:
  static constexpr std::size_t kBatch = 32;
  static constexpr std::size_t kKeep = 2 * kBatch;

  struct Pool {
    SpinMutex mu;
    std::vector<void*> blocks;
  };
  static Pool& pool() {
    static Pool* p = new Pool;  // never destroyed: goroutines may end after main
    return *p;
  }

  struct Spares {
    void* blocks[kKeep];
    std::size_t count = 0;
    ~Spares() {  // the thread ends: what it kept goes to the pool
      while (count) give_to_pool(blocks[--count]);
    }
  };
  // Not inlined, so that no caller keeps one thread's address across a fiber
  // switch (a goroutine may end on another thread than it started on).
  [[gnu::noinline]] static Spares& spares() noexcept {
    thread_local Spares s;
    return s;
  }

  static void give_to_pool(void* block) noexcept {
    Pool& p = pool();
    std::lock_guard lock(p.mu);
    try {
      p.blocks.push_back(block);
    } catch (...) {  // out of memory for the list: the block goes back instead
      ::operator delete(block);
    }
  }

  static void* take() {
    Spares& s = spares();
    if (s.count == 0) {
      Pool& p = pool();
      std::lock_guard lock(p.mu);
      while (s.count < kBatch && !p.blocks.empty()) {
        s.blocks[s.count++] = p.blocks.back();
        p.blocks.pop_back();
      }
    }
    if (s.count) return s.blocks[--s.count];
    return ::operator new(sizeof(T));
  }

  static void give(void* block) noexcept {
    Spares& s = spares();
    if (s.count == kKeep) {
      Pool& p = pool();
      std::lock_guard lock(p.mu);
      try {
        p.blocks.insert(p.blocks.end(), s.blocks + kKeep - kBatch, s.blocks + kKeep);
        s.count -= kBatch;
      } catch (...) {  // out of memory for the list: this block goes back instead
        ::operator delete(block);
        return;
      }
    }
    s.blocks[s.count++] = block;
  }
};

}  // namespace goc::detail
