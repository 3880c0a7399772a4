// The goroutine leak check that every test program of the course links, and
// with Catch2 v3 its main.
//
// A goroutine started during a test case and still alive about a second after
// it ends is reported with where it was started and where it is blocked, and
// the program then fails (exit status 3). A test case tagged [leaks-ok] is
// exempt (for tests of the leak check itself).
//
// Catch2's implementation is never compiled per program: v3 is a compiled
// library (this file supplies main), and for v2 Debian ships it prebuilt with
// its main (libCatch2WithMain.a), so this file only adds the listener.
// It is an OBJECT library (testing/CMakeLists.txt): with v2 nothing calls into
// this file, so from a static archive the linker would drop it, listener and all.
// v2 declares its reporter base classes only for "external interfaces" (v3
// ignores the macro).
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "goc/testing/catch.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
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

#ifndef GOC_CATCH3
// v2's prebuilt main returns the number of failed assertions, which a leak
// does not change. So when the run leaked, this runs after main has returned
// (v2's reporters have written and closed their output by then) and ends the
// program with status 3 instead of 0. (v3: see main below.)
void exit_with_leak_status() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  _exit(3);
}
#endif

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
        std::string name(info.name.begin(), info.name.end());
        std::fprintf(stderr, "\ngoroutine leak in test case \"%s\": %s\n", name.c_str(),
                     goc::LeakCheck::describe(leaked).c_str());
        std::fflush(stderr);
#ifndef GOC_CATCH3
        if (leaking_test_cases == 0) std::atexit(exit_with_leak_status);
#endif
        ++leaking_test_cases;
      }
    }
    check_.reset();
    GocListenerBase::testCaseEnded(stats);
  }

  void testRunEnded(Catch::TestRunStats const& stats) override {
    if (leaking_test_cases > 0)
      std::fprintf(stderr, "goroutine leak check: %d test case(s) left goroutines running\n",
                   leaking_test_cases);
    GocListenerBase::testRunEnded(stats);
  }

 private:
  std::optional<goc::LeakCheck> check_;
};

}  // namespace

CATCH_REGISTER_LISTENER(GoroutineLeakListener)

#ifdef GOC_CATCH3
int main(int argc, char* argv[]) {
  int failed = Catch::Session().run(argc, argv);
  return failed == 0 && leaking_test_cases > 0 ? 3 : failed;
}
#endif
