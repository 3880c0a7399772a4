// The main of every test program of the course (Catch2 v2 and v3), with the
// goroutine leak check.
//
// A goroutine started during a test case and still alive about a second after
// it ends is reported with where it was started and where it is blocked. A
// test case tagged [leaks-ok] is exempt (for tests of the leak check itself).
//
// The main, not Catch2 and not the code under test, decides how the program
// ends, and ends it at once with _exit(): no exit handler or static destructor
// of the code under test runs after the verdict (it could rewrite the report).
// The exit status is the verdict the grader cross-checks with the report:
//   0  every test case passed, no goroutine leaked, no race
//   1  a test case failed
//   3  goroutines leaked (whatever else happened, so that hiding the leak text
//      on stderr does not hide the leak)
//   66 ThreadSanitizer reported something (TSan builds; TSan's own exit code)
//
// Catch2's implementation is never compiled per program: v3 is a compiled
// library, and for v2 Debian ships it prebuilt with its own main
// (libCatch2WithMain.a); testing/CMakeLists.txt makes a copy of that archive
// whose main is renamed goc_catch2_v2_main, which this main calls.
// It is an OBJECT library (testing/CMakeLists.txt), so its self-registering
// listener is always linked in.
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

#include "goc/detail/schedule.hpp"
#include "goc/detail/trace.hpp"
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
    // Under a seeded schedule, how to see the failure again and what led to it.
    if (!stats.totals.assertions.allPassed() && goc::detail::schedule_on()) {
      std::string name(info.name.begin(), info.name.end());
      std::fprintf(stderr, "\ntest case \"%s\" failed under a seeded %s", name.c_str(),
                   goc::detail::schedule_report().c_str());
      std::fflush(stderr);
    }
    if (check_ && info.tagsAsString().find("[leaks-ok]") == std::string::npos) {
      auto leaked = check_->leaks();
      if (!leaked.empty()) {
        std::string name(info.name.begin(), info.name.end());
        std::fprintf(stderr, "\ngoroutine leak in test case \"%s\": %s\n", name.c_str(),
                     goc::LeakCheck::describe(leaked).c_str());
        std::fflush(stderr);
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

// ThreadSanitizer calls this weak hook of its runtime on every report it
// prints (gcc's libtsan and clang's alike), so races are counted here and not
// read back from stderr, which the code under test can close. Reports are
// serialised inside the runtime; the counter is left uninstrumented so that
// the hook does not re-enter it.
#if defined(__SANITIZE_THREAD__)
#define GOC_TSAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOC_TSAN_BUILD 1
#endif
#endif

namespace {
int tsan_reports = 0;
}  // namespace

#ifdef GOC_TSAN_BUILD
extern "C" __attribute__((no_sanitize("thread"))) void __tsan_on_report(void*) { ++tsan_reports; }
__attribute__((no_sanitize("thread"))) static int tsan_report_count() { return tsan_reports; }
#else
static int tsan_report_count() { return tsan_reports; }
#endif

#ifndef GOC_CATCH3
// Catch2 v2's prebuilt main (`return Catch::Session().run(argc, argv);`),
// renamed in the archive the course links (testing/CMakeLists.txt).
extern "C" int goc_catch2_v2_main(int argc, char* argv[]);
#endif

int main(int argc, char* argv[]) {
#ifdef GOC_CATCH3
  // A temporary: its reporters and --out stream are closed when it is gone.
  int failed = Catch::Session().run(argc, argv);
#else
  int failed = goc_catch2_v2_main(argc, argv);
#endif
  int status = 0;
  if (tsan_report_count() > 0)
    status = 66;
  else if (leaking_test_cases > 0)
    status = 3;
  else if (failed != 0)
    status = 1;
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  goc::detail::trace_flush();  // GOC_TRACE: _exit runs no exit handler
  _exit(status);
}
