// Free runs on fibers: goroutines multiplexed on a few threads (M:N), as Go
// runs them. Internal to runtime/src; how it works is in processors.cpp.
#pragma once

#include <cstdint>

#include "goc/detail/source_location.hpp"

namespace goc::detail {

class Parker;
class Task;
struct G;

/// go() in a free run on fibers: `g` will run `body(g, task)` on a fiber of
/// its own (its stack is taken when it first runs; running out of memory for
/// it then is a fatal error).
void fibers_spawn(G* g, Task task, void (*body)(G*, Task&));

/// Parker::park's fiber path: parks the calling goroutine's fiber (its
/// thread goes on running other goroutines). Main's first park makes main a
/// fiber too. False when the caller is a thread not started by go(), which
/// must park its thread.
bool fibers_park(Parker& p);

/// Parker::wake found its goroutine parked as a fiber: makes it runnable,
/// next on the calling goroutine's thread.
void fibers_wake_fiber(void* fiber);

/// goc::yield() on a goroutine's fiber: when other goroutines wait in its
/// thread's queue, the caller goes to the back of that queue and the thread
/// runs them first; meanwhile dumps and traces show it runnable at `where`.
/// False when the caller is not on a fiber (it should yield its thread
/// instead).
bool fibers_yield(const SourceLocation& where);

/// SpinMutex::lock_slow, around its sleep: tells the monitor that the
/// calling processor waits for the thread that holds the lock, not in a call
/// the runtime cannot see, so that it starts no thread for it.
/// Does nothing on a thread that is no processor.
void note_runtime_lock_sleep(bool asleep) noexcept;

/// True on a goroutine's fiber: a wait there must never spin or yield the
/// thread (the goroutine it waits for may need this very thread).
bool on_fiber() noexcept;

}  // namespace goc::detail
