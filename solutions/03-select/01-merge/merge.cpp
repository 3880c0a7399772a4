// Reference solution for 03-select/01-merge.
#include "merge.hpp"

goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b) {
  auto out = goc::make_chan<int>();
  // `mutable`: the goroutine changes its own copies of a and b (to nil).
  goc::go([a, b, out]() mutable {
    // A nil channel stands for "closed, done with it". The loop runs while
    // at least one input may still deliver.
    while (!a.is_nil() || !b.is_nil()) {
      // With one input nil, this select waits on the other only: blocked,
      // not spinning, until it delivers or closes. Each input is received
      // in order, and each value is forwarded before the next receive, so
      // per-input order is kept.
      goc::select(
          goc::recv_case(a, [&](int v, bool ok) {
            if (!ok) a = {};  // closed: drop it from the select for good
            else out.send(v);
          }),
          goc::recv_case(b, [&](int v, bool ok) {
            if (!ok) b = {};
            else out.send(v);
          }));
    }
    // Both inputs are closed and every value was sent: we are the only
    // sender on out, so we close it, and the consumer's range loop ends.
    out.close();
  });
  return out;
}
