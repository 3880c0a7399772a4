// Fibers: a stack of one's own and a saved context, and the switch between
// two of them. Shared by the scheduled runs (schedule.cpp: every goroutine on
// main's thread) and the free runs (processors.cpp: goroutines multiplexed on
// a few threads). Internal to runtime/src.
#pragma once

#include <cstddef>
#include <cstdint>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace goc::detail::fiber {

// The C++ runtime's per-thread record of exceptions being handled (a catch
// block's exception, std::uncaught_exceptions()): every fiber has its own, as
// a goroutine may block, and so leave its thread, from inside a catch block.
struct EhGlobals {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

/// The calling thread's record (abi::__cxa_get_globals()).
EhGlobals* thread_eh() noexcept;

// A fiber's saved registers. On x86-64 a switch saves the callee-saved
// registers on the stack it leaves and restores them from the stack it
// enters: a few instructions. swapcontext(3), used on other machines, also
// saves and restores the signal mask, a system call at every switch.
#if defined(__x86_64__)
struct Context {
  void* sp = nullptr;  // where the saved frame is, while the fiber is not running
};
#else
struct Context {
  ucontext_t uc{};
};
#endif

/// Makes `c` start `entry` on `stack` (`bytes` long) at the first switch to it.
void start_context(Context& c, char* stack, std::size_t bytes, void (*entry)());

/// Saves the running context in `from` and resumes `to`; returns when some
/// thread switches back to `from`. A function of its own (not inlined), so
/// that nothing the caller read from thread_local storage before the switch
/// is reused after it: the fiber may come back on another thread.
void switch_context(Context& from, Context& to) noexcept;

/// Every goroutine fiber's stack, without its guard page.
inline constexpr std::size_t kStackBytes = std::size_t{1} << 20;

/// A stack of kStackBytes above a guard page: a kept one (stacks of finished
/// goroutines are kept for the next ones, except under ThreadSanitizer), or
/// a new mapping; null when none can be mapped. usable_bottom() is where the
/// fiber's stack ends, above the guard.
void* take_stack() noexcept;
char* usable_bottom(void* stack) noexcept;
/// Keeps `stack` for the next fiber, or unmaps it.
void give_back_stack(void* stack) noexcept;

}  // namespace goc::detail::fiber
