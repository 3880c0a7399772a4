// Exercise 02-channels/02-generator-sum: a generator that sends and closes,
// and a consumer that ranges and sums.
//
// Task: finish generate() and sum_all() (see generator.hpp). As written the
// generator never says it is finished and the consumer receives nothing.
//
// The Go idea: a channel carries a stream of values; the sender closes it to
// say "no more", and the receiver loops with `for v := range ch`, which ends
// exactly when the channel is closed and drained. Only the sender closes: a
// receiver cannot know whether another send is coming.
#include "generator.hpp"

goc::RecvChan<int> generate(int first, int last) {
  auto out = goc::make_chan<int>();
  goc::go([=] {
    for (int v = first; v < last; ++v) out.send(v);
    // TODO: tell the receiver that no more values will come.
  });
  return out;
}

long sum_all(goc::RecvChan<int> values) {
  long sum = 0;
  // TODO: receive every value until the channel is closed, adding each to sum.
  (void)values;
  return sum;
}
