// WRONG: receives on a helper goroutine; after a timeout that goroutine is still receiving, so it steals a later value and leaks.
#include "timeout.hpp"

std::optional<int> recv_within(goc::RecvChan<int> ch, goc::Clock::duration limit) {
  auto got = goc::make_chan<std::optional<int>>(1);
  goc::go([ch, got] {
    auto [v, ok] = ch.recv_ok();
    got.send(ok ? std::optional<int>(v) : std::nullopt);
  });
  std::optional<int> result;
  goc::select(goc::recv_case(got, [&](std::optional<int> v) { result = v; }),
              goc::recv_case(goc::time_after(limit), [] {}));
  return result;
}
