// goc/goc.hpp: the whole runtime in one include.
//
// goc imitates Go's concurrency (goroutines multiplexed on a few OS threads,
// as Go runs them), for learning Go's ideas in C++20. Each concept has its own header; students usually include this one
// and write `using namespace goc;` (or qualify names with goc::).
//
// | Go                         | goc                                    | header            |
// |----------------------------|----------------------------------------|-------------------|
// | `go f(x)`                  | `go(f, x)` / `go([=] { ... })`         | goroutine.hpp     |
// | `make(chan T, n)`          | `make_chan<T>(n)`                      | channel.hpp       |
// | `ch <- v`, `<-ch`          | `ch.send(v)`, `ch.recv()`              | channel.hpp       |
// | `v, ok := <-ch`            | `auto [v, ok] = ch.recv_ok()`          | channel.hpp       |
// | `close(ch)`                | `ch.close()`                           | channel.hpp       |
// | `for v := range ch`        | `for (auto v : ch)`                    | channel.hpp       |
// | `chan<- T`, `<-chan T`     | `SendChan<T>`, `RecvChan<T>`           | channel.hpp       |
// | `chan struct{}`            | `Channel<Empty>`                       | channel.hpp       |
// | `select { case ... }`      | `select(recv_case(..), send_case(..), default_case(..))` | select.hpp |
// | `time.After(d)`            | `time_after(d)`                        | time.hpp          |
// | `time.Sleep(d)`            | `sleep_for(d)`                         | time.hpp          |
// | `sync.WaitGroup`           | `WaitGroup`                            | waitgroup.hpp     |
// | `sync.Mutex`               | `Mutex`                                | mutex.hpp         |
// | `panic(msg)`               | `throw Panic(msg)` / `panic(msg)`      | panic.hpp         |
// | `runtime.NumGoroutine()`   | `num_goroutine()`                      | goroutine.hpp     |
// | goleak                     | `LeakCheck`                            | leakcheck.hpp     |
#pragma once

#include "goc/channel.hpp"
#include "goc/goroutine.hpp"
#include "goc/leakcheck.hpp"
#include "goc/mutex.hpp"
#include "goc/panic.hpp"
#include "goc/select.hpp"
#include "goc/time.hpp"
#include "goc/waitgroup.hpp"
