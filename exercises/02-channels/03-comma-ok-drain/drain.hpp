// Contract for exercise 02-channels/03-comma-ok-drain (instructor-owned: do not edit).
#pragma once

#include <goc/goc.hpp>

/// What drain() received.
struct DrainReport {
  int values = 0;  ///< how many values were received (zeros included)
  long sum = 0;    ///< their sum
};

/// Receives from `ch` until it is closed and empty, and reports how many
/// values it received and their sum. Blocks while the channel is open and
/// empty: values may arrive slowly. A 0 is a value like any other, and the
/// channel may be shared with other receivers (each value goes to one of
/// them). drain never closes the channel: only a sender may close, since
/// only a sender knows that nothing more will be sent (a send on a closed
/// channel panics).
DrainReport drain(goc::Channel<int> ch);
