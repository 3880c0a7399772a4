// Exercise 03-select/01-merge: merge two channels until both are closed.
//
// Task: finish merge() (see merge.hpp). As written it forwards values, but
// it never notices that an input has closed: it forwards zeros forever.
//
// The Go idea: select waits on several channels at once. A closed input is
// always ready (it yields the zero value with ok == false), so it must leave
// the select once seen closed. The idiom is to set it to nil: a receive from
// a nil channel never proceeds, so its case is never chosen again. When both
// inputs are nil, the merge is over and the sender closes its output.
#include "merge.hpp"

goc::RecvChan<int> merge(goc::RecvChan<int> a, goc::RecvChan<int> b) {
  auto out = goc::make_chan<int>();
  goc::go([a, b, out]() mutable {
    // TODO: loop only while at least one input is still open.
    for (;;) {
      goc::select(
          goc::recv_case(a, [&](int v, bool ok) {
            // TODO: when a is closed (ok is false), stop selecting on it.
            (void)ok;
            out.send(v);
          }),
          goc::recv_case(b, [&](int v, bool ok) {
            // TODO: when b is closed (ok is false), stop selecting on it.
            (void)ok;
            out.send(v);
          }));
    }
    // TODO: once both inputs are closed, close the output.
  });
  return out;
}
