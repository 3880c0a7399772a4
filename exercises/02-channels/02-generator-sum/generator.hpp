// Contract for exercise 02-channels/02-generator-sum (instructor-owned: do not edit).
#pragma once

#include <goc/goc.hpp>

/// Returns at once an unbuffered channel on which a new goroutine sends
/// first, first + 1, ..., last - 1 in order (nothing when first >= last) and
/// then closes it. The goroutine ends after the close.
goc::RecvChan<int> generate(int first, int last);

/// Receives every value from `values` until it is closed, and returns their
/// sum. Any values and any number of them, zeros included; it never closes
/// the channel (the sender does).
long sum_all(goc::RecvChan<int> values);
