// WaitGroup and Mutex.
#include <mutex>
#include <string>
#include <vector>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using goc::make_chan;

TEST_CASE("wait on a WaitGroup at zero returns at once") {
  goc::WaitGroup wg;
  wg.wait();
  wg.add(2);
  wg.done();
  wg.done();
  wg.wait();
}

TEST_CASE("a negative WaitGroup counter panics") {
  goc::WaitGroup wg;
  REQUIRE_THROWS_WITH(wg.done(), "sync: negative WaitGroup counter");
  goc::WaitGroup wg2;
  wg2.add(1);
  REQUIRE_THROWS_WITH(wg2.add(-2), "sync: negative WaitGroup counter");
}

TEST_CASE("wait blocks until every goroutine has called done") {
  goc::WaitGroup wg;
  std::vector<int> slots(8, 0);
  for (int i = 0; i < 8; ++i) {
    wg.add(1);
    goc::go([&wg, &slots, i] {
      slots[static_cast<std::size_t>(i)] = i * i;  // ordered before wait() returns by done()
      wg.done();
    });
  }
  wg.wait();
  for (int i = 0; i < 8; ++i) CHECK(slots[static_cast<std::size_t>(i)] == i * i);
}

TEST_CASE("several goroutines may wait on one WaitGroup") {
  goc::WaitGroup gate;
  gate.add(1);
  goc::WaitGroup waiters;
  auto released = make_chan<int>(3);
  for (int i = 0; i < 3; ++i) {
    waiters.add(1);
    auto id = next_id();
    goc::go([&gate, &waiters, released, i] {
      gate.wait();
      released.send(i);
      waiters.done();
    });
    REQUIRE(wait_for_state(id, "sync.WaitGroup.Wait"));
  }
  CHECK(released.len() == 0);
  gate.done();
  waiters.wait();
  CHECK(released.len() == 3);
}

TEST_CASE("a WaitGroup is reusable once wait has returned") {
  goc::WaitGroup wg;
  for (int round = 0; round < 50; ++round) {
    int value = 0;
    wg.add(1);
    goc::go([&] {
      value = round;
      wg.done();
    });
    wg.wait();
    CHECK(value == round);
  }
}

TEST_CASE("a WaitGroup may be destroyed as soon as its wait returns") {
  // Each WaitGroup lives on this loop's stack and dies right after wait().
  for (int round = 0; round < 300; ++round) {
    goc::WaitGroup wg;
    wg.add(2);
    goc::go([&wg] { wg.done(); });
    goc::go([&wg] { wg.done(); });
    wg.wait();
  }
}

TEST_CASE("try_lock takes a free mutex and fails on a held one") {
  goc::Mutex mu;
  CHECK(mu.try_lock());
  CHECK_FALSE(mu.try_lock());
  mu.unlock();
  CHECK(mu.try_lock());
  mu.unlock();
}

TEST_CASE("Mutex works with lock_guard, scoped_lock and unique_lock") {
  goc::Mutex a, b;
  {
    std::lock_guard g(a);
    CHECK_FALSE(a.try_lock());
  }
  {
    std::scoped_lock both(a, b);
    CHECK_FALSE(a.try_lock());
    CHECK_FALSE(b.try_lock());
  }
  {
    std::unique_lock u(a);
    u.unlock();
    CHECK(a.try_lock());
    a.unlock();
  }
  CHECK(a.try_lock());
  CHECK(b.try_lock());
  a.unlock();
  b.unlock();
}

TEST_CASE("a Mutex locked by one goroutine may be unlocked by another") {
  goc::Mutex mu;
  mu.lock();
  auto done = make_chan<goc::Empty>();
  goc::go([&mu, done] {
    mu.unlock();
    done.send({});
  });
  done.recv();
  CHECK(mu.try_lock());
  mu.unlock();
}

TEST_CASE("lock blocks while the mutex is held and proceeds after unlock") {
  goc::Mutex mu;
  mu.lock();
  auto got = make_chan<goc::Empty>(1);
  auto id = next_id();
  goc::go([&mu, got] {
    mu.lock();
    mu.unlock();
    got.send({});  // last: once main has it, mu goes out of scope
  });
  REQUIRE(wait_for_state(id, "sync.Mutex.Lock"));
  CHECK(got.len() == 0);
  mu.unlock();
  got.recv();
}

TEST_CASE("a Mutex gives mutual exclusion to many goroutines") {
  goc::Mutex mu;
  long counter = 0;
  goc::WaitGroup wg;
  for (int g = 0; g < 8; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < 2000; ++i) {
        std::lock_guard lock(mu);
        ++counter;
      }
      wg.done();
    });
  }
  wg.wait();
  CHECK(counter == 16000);
}
