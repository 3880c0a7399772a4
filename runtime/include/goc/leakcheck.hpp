// goc/leakcheck.hpp: finding goroutines a test left behind.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "goc/goroutine.hpp"

namespace goc {

/// Notices goroutines started after it was made that are still alive when
/// asked: the C++ form of uber-go/goleak's `VerifyNone`.
///
/// Make one at the start of a test; at the end, leaks() waits, with a short
/// back-off and for at most `patience` (a second by default), for the
/// goroutines started since to finish, then returns the ones still alive with
/// where each was started and where it is blocked. Goroutines that existed
/// before the LeakCheck are never reported.
///
/// Blocking: leaks() sleeps while it retries; it returns as soon as no new
/// goroutine is left.
///
/// Go equivalent: `defer goleak.VerifyNone(t)`.
/// Differences from Go: goroutines are told apart by id (ids are never
/// reused), not by stack; there is no ignore list.
///
///     goc::LeakCheck leaks;
///     run_worker_pool(inputs, 4);
///     auto left = leaks.leaks();
///     REQUIRE(left.empty());    // or print goc::LeakCheck::describe(left)
class LeakCheck {
 public:
  /// Starts watching: goroutines started from now on are the ones checked.
  LeakCheck() : first_id_(next_goroutine_id()) {}

  /// Goroutines started since construction still alive after waiting up to `patience`.
  std::vector<GoroutineInfo> leaks(
      std::chrono::milliseconds patience = std::chrono::milliseconds(1000)) const;

  /// "found unexpected goroutines:" followed by each one as the dump shows it;
  /// empty when `leaked` is empty.
  static std::string describe(const std::vector<GoroutineInfo>& leaked);

 private:
  std::uint64_t first_id_;
};

}  // namespace goc
