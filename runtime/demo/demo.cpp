// A two-minute tour of the goc runtime: goroutines, channels, select with a
// timeout, a WaitGroup and a Mutex, and the goroutine counters.
#include <cstdio>
#include <string>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  // A generator goroutine sends 1..5 and closes; main ranges until closed.
  auto numbers = goc::make_chan<int>();
  goc::go([=] {
    for (int i = 1; i <= 5; ++i) numbers.send(i);
    numbers.close();
  });

  // Three workers square what they receive; a WaitGroup tells when all are done.
  auto squares = goc::make_chan<int>(5);
  goc::WaitGroup wg;
  for (int w = 0; w < 3; ++w) {
    wg.add(1);
    goc::go([&wg, numbers, squares] {
      for (int n : numbers) squares.send(n * n);
      wg.done();
    });
  }
  goc::go([&wg, squares] {
    wg.wait();
    squares.close();  // the sending side closes, once every sender is done
  });

  int total = 0;
  for (int s : squares) total += s;
  std::printf("sum of squares 1..5 = %d\n", total);

  // select: a value that never comes loses to a 50 ms timer.
  auto never = goc::make_chan<std::string>();
  goc::select(goc::recv_case(never, [](std::string s) { std::printf("got %s\n", s.c_str()); }),
              goc::recv_case(goc::time_after(50ms), [] { std::printf("timed out after 50ms\n"); }));

  // A Mutex guards a counter shared by four goroutines.
  goc::Mutex mu;
  long counter = 0;
  goc::WaitGroup wg2;
  for (int g = 0; g < 4; ++g) {
    wg2.add(1);
    goc::go([&] {
      for (int i = 0; i < 1000; ++i) {
        std::lock_guard lock(mu);
        ++counter;
      }
      wg2.done();
    });
  }
  wg2.wait();
  std::printf("counter = %ld\n", counter);
  std::printf("peak live goroutines: %zu\n", goc::peak_goroutines());
  std::printf("Next: ./course test runs the test suite; lessons/ has the course notes.\n");
}
