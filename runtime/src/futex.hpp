// The two futex calls the runtime sleeps and wakes with (Parker, SpinMutex,
// the processors' doorbells). Internal to runtime/src.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace goc::detail {

/// Sleeps while *addr == expected (or until a futex_wake; it may also return
/// for no reason: callers loop on their condition).
inline void futex_wait(std::atomic<std::uint32_t>* addr, std::uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr), FUTEX_WAIT_PRIVATE, expected,
          nullptr, nullptr, 0);
}

/// Wakes one thread asleep in futex_wait on `addr`.
inline void futex_wake(std::atomic<std::uint32_t>* addr) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr), FUTEX_WAKE_PRIVATE, 1, nullptr,
          nullptr, 0);
}

}  // namespace goc::detail
