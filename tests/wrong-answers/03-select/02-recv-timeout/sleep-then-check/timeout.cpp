// WRONG: sleeps for the whole limit and then looks once: a value that arrives early still waits out the limit.
#include "timeout.hpp"

std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit) {
  goc::sleep_for(limit);
  std::optional<int> result;
  goc::select(
      goc::recv_case(ch, [&](int v, bool ok) {
        if (ok) result = v;
      }),
      goc::default_case([] {}));
  return result;
}
