// Lesson 4, example 04: a Mutex guarding a small shared map.
//
// When several goroutines update the same small piece of state (a counter,
// a map, a cache), a mutex is the simplest tool. Put the state and its mutex
// together in one type, and lock in every method that touches the state, so
// no caller can forget to. Keep the locked section short: look up, update,
// unlock; never wait on a channel or do slow work while holding the lock.
//
// goc::Mutex is Go's sync.Mutex; std::lock_guard plays `mu.Lock(); defer
// mu.Unlock()`. Go copies a struct that holds a Mutex only by mistake; in C++
// goc::Mutex cannot be copied at all.
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "goc/goc.hpp"

//! [container]
// Go:
//     type Counters struct {
//         mu     sync.Mutex
//         counts map[string]int
//     }
//
//     func (c *Counters) Inc(name string) {
//         c.mu.Lock()
//         defer c.mu.Unlock()
//         c.counts[name]++
//     }
class Counters {
 public:
  void inc(const std::string& name) {
    std::lock_guard guard(mu_);
    ++counts_[name];
  }
  std::map<std::string, int> snapshot() const {
    std::lock_guard guard(mu_);
    return counts_;  // a copy, so the caller reads it without the lock
  }

 private:
  mutable goc::Mutex mu_;  // guards counts_
  std::map<std::string, int> counts_;
};
//! [container]

int main() {
  //! [use]
  // Go:
  //     var wg sync.WaitGroup
  //     doIncrement := func(name string, n int) {
  //         defer wg.Done()
  //         for i := 0; i < n; i++ {
  //             c.Inc(name)
  //         }
  //     }
  //     wg.Add(3)
  //     go doIncrement("a", 10000)
  //     go doIncrement("a", 10000)
  //     go doIncrement("b", 10000)
  //     wg.Wait()
  Counters c;
  goc::WaitGroup wg;
  auto do_increment = [&c, &wg](std::string name, int n) {
    for (int i = 0; i < n; ++i) c.inc(name);
    wg.done();
  };
  wg.add(3);
  goc::go(do_increment, "a", 10000);
  goc::go(do_increment, "a", 10000);
  goc::go(do_increment, "b", 10000);
  wg.wait();
  //! [use]

  for (const auto& [name, count] : c.snapshot()) std::printf("%s: %d\n", name.c_str(), count);
}
