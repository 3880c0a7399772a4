// Catch2's main for every test program of the course, compiled once.
//
// It adds the goroutine leak check to every test case: a goroutine started
// during a test case and still alive about a second after it ends is reported
// with where it was started and where it is blocked, and makes the program
// fail. A test case tagged [leaks-ok] is exempt (for tests of the leak check).
#define CATCH_CONFIG_RUNNER
#include "goc/testing/catch.hpp"

#include <cstdio>
#include <optional>
#include <string>

#include "goc/leakcheck.hpp"

#ifdef GOC_CATCH3
#include <catch2/catch_session.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>
using GocListenerBase = Catch::EventListenerBase;
#else
using GocListenerBase = Catch::TestEventListenerBase;
#endif

namespace {

int leaking_test_cases = 0;

// v2 keeps TestCaseStats::testInfo by value, v3 by pointer.
const Catch::TestCaseInfo& info_of(const Catch::TestCaseInfo& i) { return i; }
const Catch::TestCaseInfo& info_of(const Catch::TestCaseInfo* i) { return *i; }

class GoroutineLeakListener : public GocListenerBase {
 public:
  using GocListenerBase::GocListenerBase;

  void testCaseStarting(Catch::TestCaseInfo const& info) override {
    GocListenerBase::testCaseStarting(info);
    check_.emplace();
  }

  void testCaseEnded(Catch::TestCaseStats const& stats) override {
    const Catch::TestCaseInfo& info = info_of(stats.testInfo);
    if (check_ && info.tagsAsString().find("[leaks-ok]") == std::string::npos) {
      auto leaked = check_->leaks();
      if (!leaked.empty()) {
        ++leaking_test_cases;
        std::string name(info.name.begin(), info.name.end());
        std::fprintf(stderr, "\ngoroutine leak in test case \"%s\": %s\n", name.c_str(),
                     goc::LeakCheck::describe(leaked).c_str());
        std::fflush(stderr);
      }
    }
    check_.reset();
    GocListenerBase::testCaseEnded(stats);
  }

 private:
  std::optional<goc::LeakCheck> check_;
};

}  // namespace

CATCH_REGISTER_LISTENER(GoroutineLeakListener)

int main(int argc, char* argv[]) {
  Catch::Session session;
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  int failed = session.run();
  if (leaking_test_cases > 0) {
    std::fprintf(stderr, "goroutine leak check: %d test case(s) left goroutines running\n",
                 leaking_test_cases);
    return failed > 0 ? failed : 3;
  }
  return failed;
}
