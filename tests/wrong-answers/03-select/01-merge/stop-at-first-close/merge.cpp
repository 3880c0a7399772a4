// WRONG: closes the output as soon as one input closes, losing everything the other input still sends.
#include "merge.hpp"

goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b) {
  auto out = goc::make_chan<int>();
  goc::go([a, b, out] {
    bool open = true;
    while (open) {
      goc::select(
          goc::recv_case(a, [&](int v, bool ok) {
            if (!ok) open = false;
            else out.send(v);
          }),
          goc::recv_case(b, [&](int v, bool ok) {
            if (!ok) open = false;
            else out.send(v);
          }));
    }
    out.close();
  });
  return out;
}
