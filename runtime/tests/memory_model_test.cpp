// Go's happens-before edges. Each test writes plain (non-atomic) data on one
// side of an edge and reads it on the other: under ThreadSanitizer the test
// passes only if the runtime makes the edge visible (any report fails it).
#include <string>
#include <vector>

#include "goc/goc.hpp"
#include "goc/testing/catch.hpp"
#include "test_support.hpp"

using goc::make_chan;

TEST_CASE("a send happens before the matching receive completes") {
  auto ch = make_chan<int>(1);
  std::string note;
  goc::go([&note, ch] {
    note = "written before send";
    ch.send(1);
  });
  ch.recv();
  CHECK(note == "written before send");
}

TEST_CASE("a close happens before a receive that returns because the channel is closed") {
  auto ch = make_chan<int>();
  std::string note;
  goc::go([&note, ch] {
    note = "written before close";
    ch.close();
  });
  auto [v, ok] = ch.recv_ok();
  CHECK_FALSE(ok);
  CHECK(note == "written before close");
}

TEST_CASE("on an unbuffered channel a receive happens before the send completes") {
  auto ch = make_chan<int>();
  auto seen = make_chan<std::string>(1);
  std::string note;
  goc::go([&note, ch, seen] {
    ch.send(1);
    seen.send(note);  // reads what the receiver wrote before receiving
  });
  note = "written before receive";
  ch.recv();
  CHECK(seen.recv() == "written before receive");
}

TEST_CASE("on capacity C the k-th receive happens before the (k+C)-th send completes") {
  // A buffered channel used as a counting semaphore of capacity 1: the slot is
  // the lock, so the writes below never race.
  auto sem = make_chan<goc::Empty>(1);
  long shared = 0;
  goc::WaitGroup wg;
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&] {
      for (int i = 0; i < 200; ++i) {
        sem.send({});
        ++shared;
        sem.recv();
      }
      wg.done();
    });
  }
  wg.wait();
  CHECK(shared == 800);
}

TEST_CASE("done happens before the wait it unblocks returns, for every done") {
  goc::WaitGroup wg;
  std::vector<std::string> parts(6);
  for (int i = 0; i < 6; ++i) {
    wg.add(1);
    goc::go([&wg, &parts, i] {
      parts[static_cast<std::size_t>(i)] = std::to_string(i);
      wg.done();
    });
  }
  wg.wait();
  std::string all;
  for (auto& p : parts) all += p;
  CHECK(all == "012345");
}

TEST_CASE("an unlock happens before the next lock returns") {
  goc::Mutex mu;
  std::vector<int> log;
  goc::WaitGroup wg;
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    goc::go([&, g] {
      for (int i = 0; i < 100; ++i) {
        mu.lock();
        log.push_back(g);
        mu.unlock();
      }
      wg.done();
    });
  }
  wg.wait();
  CHECK(log.size() == 400);
}

TEST_CASE("go happens before the goroutine starts") {
  std::string note = "written before go";
  auto out = make_chan<std::size_t>();
  goc::go([&note, out] { out.send(note.size()); });
  CHECK(out.recv() == note.size());
}

TEST_CASE("a select's chosen receive is ordered after the matching send") {
  auto a = make_chan<int>();
  auto b = make_chan<int>();
  std::string note;
  goc::go([&note, b] {
    note = "from b";
    b.send(2);
  });
  std::string seen;
  goc::select(goc::recv_case(a), goc::recv_case(b, [&](int) { seen = note; }));
  CHECK(seen == "from b");
}
