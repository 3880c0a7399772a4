// Contract for exercise 03-select/02-recv-timeout (instructor-owned: do not edit).
#pragma once

#include <optional>

#include <goc/goc.hpp>

/// Waits at most `limit` for a value on `ch`.
///
/// Returns the value as soon as one is received; std::nullopt once `limit`
/// has passed without one (not much later), or at once if `ch` is closed and
/// empty. It receives at most one value, and none after it has returned: a
/// value sent later stays for the next receiver. While waiting it is blocked
/// (no busy loop), and it leaves no goroutine behind.
std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit);
