// Lesson 1, example 02: when main returns, every goroutine stops.
//
// A goroutine is not waited for by anyone unless the program says so. When
// main returns the program ends, and goroutines still running end with it,
// halfway through whatever they were doing. Nothing reports it; their work
// is simply gone.
#include <cstdio>

#include "goc/goc.hpp"

using namespace std::chrono_literals;

int main() {
  //! [forgotten]
  // Go:
  //     go func() {
  //         time.Sleep(time.Second)
  //         fmt.Println("goroutine: my work is done") // never printed
  //     }()
  //     fmt.Println("main: returning without waiting")
  goc::go([] {
    goc::sleep_for(1s);
    std::printf("goroutine: my work is done\n");  // never printed
  });
  std::printf("main: %zu goroutines are alive (main and the one it started)\n",
              goc::num_goroutine());
  std::printf("main: returning without waiting\n");
  //! [forgotten]
}
