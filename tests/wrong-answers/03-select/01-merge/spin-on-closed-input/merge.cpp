// WRONG: remembers which input closed with a flag but keeps selecting on it; the closed input is always ready, so the loop spins.
#include "merge.hpp"

goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b) {
  auto out = goc::make_chan<int>();
  goc::go([a, b, out] {
    bool a_open = true, b_open = true;
    while (a_open || b_open) {
      goc::select(
          goc::recv_case(a, [&](int v, bool ok) {
            if (!ok) a_open = false;
            else out.send(v);
          }),
          goc::recv_case(b, [&](int v, bool ok) {
            if (!ok) b_open = false;
            else out.send(v);
          }));
    }
    out.close();
  });
  return out;
}
