// Contract for exercise 03-select/01-merge (instructor-owned: do not edit).
#pragma once

#include <goc/goc.hpp>

/// Returns at once an unbuffered channel that delivers every value received
/// from `a` and from `b`, and is closed once both `a` and `b` are closed and
/// everything has been delivered. The values of each input keep their order;
/// values of different inputs interleave in any order.
///
/// The merging goroutine never busy-waits: while it has nothing to do
/// (both inputs idle, or one closed and the other idle) it is blocked and
/// uses no CPU. It ends after closing the output.
goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b);
