// Deadlock reports, panics and fatal errors, each observed from a child process.
#include <string>

#include "child_process.hpp"
#include "goc/testing/catch.hpp"

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
const std::string kDeadlock = "fatal error: all goroutines are asleep - deadlock!";
}  // namespace

TEST_CASE("main blocked on a channel nobody uses is reported as a deadlock with status 2") {
  auto r = run_scenario("deadlock-main-recv");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, kDeadlock));
  CHECK(contains(r.output, "goroutine 1 [chan receive]:"));
  CHECK(contains(r.output, "scenarios.cpp:"));
}

TEST_CASE("the deadlock dump lists every goroutine with its state, where it blocked and where it started") {
  auto r = run_scenario("deadlock-with-goroutines");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, kDeadlock));
  CHECK(contains(r.output, "goroutine 1 [sync.WaitGroup.Wait]:"));
  CHECK(contains(r.output, "[chan send]:"));
  CHECK(contains(r.output, "blocked at "));
}

TEST_CASE("deadlock states use Go's words for select, nil channels and mutexes") {
  struct Case {
    const char* scenario;
    const char* state;
  };
  for (Case c : {Case{"deadlock-select-no-cases", "[select (no cases)]"},
                 Case{"deadlock-select-nil-cases", "[select (no cases)]"},
                 Case{"deadlock-nil-send", "[chan send (nil chan)]"},
                 Case{"deadlock-nil-recv", "[chan receive (nil chan)]"},
                 Case{"deadlock-mutex", "[sync.Mutex.Lock]"}}) {
    auto r = run_scenario(c.scenario);
    INFO(c.scenario << "\n" << r.output);
    CHECK(r.exit_status == 2);
    CHECK(contains(r.output, kDeadlock));
    CHECK(contains(r.output, c.state));
  }
}

TEST_CASE("a deadlock is reported when the last running goroutine exits") {
  auto r = run_scenario("deadlock-after-last-goroutine-exits");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, kDeadlock));
}

TEST_CASE("a goroutine blocked outside the runtime counts as running: no false deadlock") {
  auto r = run_scenario("no-deadlock-goroutine-blocked-outside-runtime");
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(contains(r.output, "received 7"));
  CHECK_FALSE(contains(r.output, kDeadlock));
}

TEST_CASE("brief waits on a full or empty buffer before parking leave no goroutine counted as blocked") {
  auto r = run_scenario("no-deadlock-after-brief-waits");
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(contains(r.output, "streamed 99999"));
  CHECK(contains(r.output, "received 7"));
  CHECK_FALSE(contains(r.output, kDeadlock));
}

TEST_CASE("after many brief waits on a buffer a real deadlock is still reported") {
  auto r = run_scenario("deadlock-after-brief-waits");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "streamed 99999"));
  CHECK(contains(r.output, kDeadlock));
  CHECK(contains(r.output, "goroutine 1 [chan receive]:"));
}

TEST_CASE("a pending timer means the program is not deadlocked") {
  auto r = run_scenario("no-deadlock-while-timer-pending");
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(contains(r.output, "chosen 1"));
}

TEST_CASE("an exception escaping a goroutine ends the program like a Go panic") {
  auto r = run_scenario("panic-in-goroutine");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "panic: boom"));
  CHECK(contains(r.output, "[running]:"));
  CHECK(contains(r.output, "scenarios.cpp:"));
}

TEST_CASE("send on a closed channel inside a goroutine panics with Go's message") {
  auto r = run_scenario("send-on-closed-in-goroutine");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "panic: send on closed channel"));
}

TEST_CASE("a panic escaping main is reported like Go's and exits with status 2") {
  auto r = run_scenario("panic-in-main");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "panic: close of nil channel"));
  CHECK(contains(r.output, "printed before the panic"));  // stdout is flushed first
}

TEST_CASE("unlock of an unlocked mutex is a fatal error with status 2") {
  auto r = run_scenario("unlock-of-unlocked-mutex");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "fatal error: sync: unlock of unlocked mutex"));
}

TEST_CASE("when main returns the program ends even with goroutines still blocked") {
  auto r = run_scenario("main-returns-while-goroutines-block");
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(contains(r.output, "main returns"));
}

#ifdef GOC_TSAN_BUILD
TEST_CASE("ThreadSanitizer reports a data race between two goroutines") {
  auto r = run_scenario("data-race");
  INFO(r.output);
  CHECK(contains(r.output, "WARNING: ThreadSanitizer: data race"));
}

TEST_CASE("the runtime's bookkeeping does not hide a race between a finished goroutine and main") {
  auto r = run_scenario("race-goroutine-write-main-read-after-later-go");
  INFO(r.output);
  CHECK(contains(r.output, "WARNING: ThreadSanitizer: data race"));
}

TEST_CASE("a channel's internal lock does not hide a race between two senders, as in Go") {
  auto r = run_scenario("race-hidden-only-by-channel-lock");
  INFO(r.output);
  CHECK(contains(r.output, "WARNING: ThreadSanitizer: data race"));
}
#endif

TEST_CASE("SIGQUIT prints every goroutine, where it blocks and where it was started, and ends with status 2") {
  auto r = run_scenario("hang-until-quit");
  INFO(r.output);
  const std::string expect = "expect ";
  auto at = r.output.find(expect);
  REQUIRE(at != std::string::npos);
  std::string line = r.output.substr(at + expect.size(), r.output.find('\n', at) - at - expect.size());
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "SIGQUIT: quit"));
  CHECK(contains(r.output, "goroutine 1 [running]:"));
  CHECK(contains(r.output, "[chan receive]:\n    blocked at "));
  CHECK(contains(r.output, line + "\n    created by go() at "));
  CHECK(contains(r.output.substr(r.output.find("created by go() at ")), line + "\n"));
}
