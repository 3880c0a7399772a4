// Small helpers shared by the runtime's tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "goc/goroutine.hpp"

// Waits (bounded, generously) until goroutine `id` reports `state`, e.g.
// "chan send": the way to know a goroutine is parked without sleeping blind.
inline bool wait_for_state(std::uint64_t id, const std::string& state,
                           std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& g : goc::goroutines())
      if (g.id == id && g.state == state) return true;
    std::this_thread::yield();
  }
  return false;
}

// The id the next goroutine started will get.
inline std::uint64_t next_id() { return goc::next_goroutine_id(); }

// Waits (bounded) until exactly `n` goroutines are live.
inline bool wait_for_live_count(std::size_t n,
                                std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (goc::num_goroutine() != n) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::yield();
  }
  return true;
}
