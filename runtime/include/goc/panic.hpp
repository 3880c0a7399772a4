// goc/panic.hpp: the one exception type the runtime throws.
//
// Go's runtime "panics" with fixed messages; this runtime throws goc::Panic
// carrying exactly those messages, so a test can write
//
//     REQUIRE_THROWS_WITH(ch.send(1), "send on closed channel");
//
// A Panic that escapes a goroutine ends the program the way Go does: it prints
// `panic: <message>`, the goroutine's id and where it was started, and exits
// with status 2. A Panic that escapes main() does the same.
#pragma once

#include <stdexcept>
#include <string>

namespace goc {

/// The exception the runtime throws where Go would panic.
///
/// what() is Go's message, word for word: `send on closed channel`,
/// `close of closed channel`, `close of nil channel`,
/// `sync: negative WaitGroup counter`, and the fan-out guard's message.
///
/// Go equivalent: `panic(...)` raised by the runtime.
/// Differences from Go: a C++ `catch` plays the part of Go's `recover()`.
class Panic : public std::runtime_error {
 public:
  /// A panic whose what() is `message`.
  explicit Panic(const std::string& message) : std::runtime_error(message) {}
};

/// Throws goc::Panic with `message`, as Go's `panic(message)` does.
[[noreturn]] inline void panic(const std::string& message) { throw Panic(message); }

}  // namespace goc
