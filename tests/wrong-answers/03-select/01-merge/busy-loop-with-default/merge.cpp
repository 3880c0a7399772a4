// WRONG: a default case turns the select into polling: the goroutine spins whenever both inputs are idle.
#include "merge.hpp"

goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b) {
  auto out = goc::make_chan<int>();
  goc::go([a, b, out]() mutable {
    while (!a.is_nil() || !b.is_nil()) {
      goc::select(
          goc::recv_case(a, [&](int v, bool ok) {
            if (!ok) a = {};
            else out.send(v);
          }),
          goc::recv_case(b, [&](int v, bool ok) {
            if (!ok) b = {};
            else out.send(v);
          }),
          goc::default_case([] {}));
    }
    out.close();
  });
  return out;
}
