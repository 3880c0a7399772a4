// Hidden tests for 04-sync/04-counter-two-ways: readers during writes,
// adds visible to later reads, the owner stops with its counter.
#include "goc/testing/catch.hpp"

#include <memory>

#include <goc/goc.hpp>

#include "counters.hpp"

namespace {

// Writers add +1 while a reader calls value() over and over: the values it
// sees never go down (only +1s are added) and never pass the final total.
template <class Counter>
void readers_during_writes(Counter& counter, int writers, int adds) {
  goc::WaitGroup wg;
  wg.add(writers);
  for (int w = 0; w < writers; ++w) {
    goc::go([&counter, &wg, adds] {
      for (int i = 0; i < adds; ++i) counter.add(1);
      wg.done();
    });
  }
  auto reader_done = goc::make_chan<bool>(1);
  goc::go([&counter, reader_done, total = static_cast<long>(writers) * adds] {
    long last = 0;
    bool ok = true;
    for (int i = 0; i < 2000; ++i) {
      long v = counter.value();
      if (v < last || v > total) ok = false;
      last = v;
    }
    reader_done.send(ok);
  });
  wg.wait();
  REQUIRE(reader_done.recv());
  REQUIRE(counter.value() == static_cast<long>(writers) * adds);
}

}  // namespace

TEST_CASE("MutexCounter: a reader during writes sees a consistent, growing count") {
  MutexCounter c;
  readers_during_writes(c, 4, 3000);
}

TEST_CASE("OwnerCounter: a reader during writes sees a consistent, growing count") {
  OwnerCounter c;
  readers_during_writes(c, 4, 300);
}

TEST_CASE("OwnerCounter: an add that returned is in every later value") {
  OwnerCounter c;
  for (int i = 1; i <= 200; ++i) {
    c.add(i % 2 == 0 ? 3 : -1);
    REQUIRE(c.value() == (i / 2) * 3 - (i + 1) / 2);
  }
}

TEST_CASE("MutexCounter: an add that returned is in every later value") {
  MutexCounter c;
  for (int i = 1; i <= 200; ++i) {
    c.add(2);
    REQUIRE(c.value() == 2L * i);
  }
}

TEST_CASE("20 OwnerCounters made and destroyed in a row leave no owner running") {
  for (int round = 0; round < 20; ++round) {
    auto c = std::make_unique<OwnerCounter>();
    c->add(round);
    REQUIRE(c->value() == round);
    c.reset();  // returns only after the owner has exited
  }
}

TEST_CASE("two OwnerCounters are independent") {
  OwnerCounter a, b;
  a.add(10);
  b.add(-4);
  REQUIRE(a.value() == 10);
  REQUIRE(b.value() == -4);
}
