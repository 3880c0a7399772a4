// Lines that must NOT compile: using a channel view in the wrong direction.
// The lesson tests compile this file with -DMISUSE=<n> and expect the
// compiler to reject it with "no member named ..." (lesson 2, example 10).
#include "goc/channel.hpp"

void misuse(goc::SendChan<int> out, goc::RecvChan<int> in) {
#if MISUSE == 1
  (void)out.recv();  // a send-only view cannot receive
#elif MISUSE == 2
  in.send(1);  // a receive-only view cannot send
#elif MISUSE == 3
  in.close();  // the receiving side cannot close
#else
  (void)out;
  (void)in;
#endif
}
