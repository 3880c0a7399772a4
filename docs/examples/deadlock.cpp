// A program that deadlocks on purpose, for the student guide: the guide shows
// what the runtime prints here (captured when the site is built) and explains
// how to read it. A test checks that it still ends with Go's fatal error.
#include "goc/goc.hpp"

int main() {
  auto results = goc::make_chan<int>();
  goc::WaitGroup wg;
  for (int i = 1; i <= 2; ++i) {
    wg.add(1);
    goc::go([=, &wg] {
      results.send(i * i);  // blocks: nobody receives until wg.wait() returns
      wg.done();
    });
  }
  wg.wait();  // waits for the senders, which wait for the receiver below
  for (int r : results) (void)r;
}
