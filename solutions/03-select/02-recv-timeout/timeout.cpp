// Reference solution for 03-select/02-recv-timeout.
#include "timeout.hpp"

std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit) {
  std::optional<int> result;
  // One select, blocked until either case is ready: a value (or the close)
  // on ch, or the timer's tick after `limit`. Exactly one case runs, so at
  // most one value is taken from ch, and nothing is received after we return.
  goc::select(
      goc::recv_case(ch, [&](int v, bool ok) {
        if (ok) result = v;  // ok == false: closed and empty, give up at once
      }),
      goc::recv_case(goc::time_after(limit), [] {}));
  // The timer's channel has room for its one tick, so an unused timer never
  // blocks anyone; it is simply dropped.
  return result;
}
