// WRONG: polls with a default case until the deadline: right answers, but it spins a CPU the whole time it waits.
#include "timeout.hpp"

std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit) {
  auto deadline = goc::Clock::now() + limit;
  std::optional<int> result;
  bool finished = false;
  while (!finished && goc::Clock::now() < deadline) {
    goc::select(
        goc::recv_case(ch, [&](int v, bool ok) {
          if (ok) result = v;
          finished = true;
        }),
        goc::default_case([] {}));
  }
  return result;
}
