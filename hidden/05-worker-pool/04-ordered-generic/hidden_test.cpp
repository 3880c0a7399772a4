// Hidden tests for 05-worker-pool/04-ordered-generic: input order, any job
// function, errors, the caller's cancel (before and during a run), the
// goroutine bound, exactly worker_count jobs at once, cleanup, repeatability.
//
// Job functions keep their state in shared_ptrs they capture by value, so a
// pool that returns too early cannot make them write into a finished test.
#include "goc/testing/catch.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <goc/goc.hpp>

#include "../pool_test_support.hpp"
#include "exercise_support.hpp"
#include "ordered_pool.hpp"

using namespace std::chrono_literals;

namespace {

#ifdef GOC_TSAN_BUILD
constexpr int big_input = 3000;  // ThreadSanitizer runs the pool 5-15x slower
#else
constexpr int big_input = 10000;
#endif

const goc::RecvChan<goc::Empty> no_cancel{};  // a nil channel is never ready

/// Counts what the pool does with a job function.
struct Recorder {
  explicit Recorder(std::size_t inputs) : calls_per_input(inputs) {}
  std::atomic<long> calls{0};
  std::atomic<long> in_flight{0};
  std::atomic<long> max_in_flight{0};
  std::vector<std::atomic<int>> calls_per_input;  // by input value, for inputs 0..n-1
};

/// `work` wrapped so that `rec` sees every call (inputs must be 0..n-1 or negative).
JobFunction recorded(std::shared_ptr<Recorder> rec, JobFunction work) {
  return [rec, work](int n) {
    ++rec->calls;
    if (n >= 0 && static_cast<std::size_t>(n) < rec->calls_per_input.size()) {
      ++rec->calls_per_input[static_cast<std::size_t>(n)];
    }
    long now = ++rec->in_flight;
    long seen = rec->max_in_flight.load();
    while (now > seen && !rec->max_in_flight.compare_exchange_weak(seen, now)) {
    }
    JobOutput out = work(n);
    --rec->in_flight;
    return out;
  };
}

JobOutput square(int n) { return JobOutput{static_cast<long long>(n) * n, ""}; }

struct Call {
  OrderedOutcome outcome;
  std::size_t peak_goroutines = 0;  // of the call, above the caller's count
  long calls_in_progress_at_return = 0;
  std::vector<goc::GoroutineInfo> left;
};

/// One call with the goroutine peak, the calls still running when it
/// returned, and the goroutines left afterwards (goc::LeakCheck, default patience).
Call checked_call(const std::vector<int>& inputs, int workers, const std::shared_ptr<Recorder>& rec,
                  JobFunction work, goc::RecvChan<goc::Empty> cancel = no_cancel) {
  goc::LeakCheck leak_check;
  std::size_t before = goc::num_goroutine();
  goc::reset_peak_goroutines();
  Call c;
  c.outcome = run_ordered_pool(inputs, workers, recorded(rec, std::move(work)), cancel);
  c.peak_goroutines = goc::peak_goroutines() - before;
  c.calls_in_progress_at_return = rec->in_flight.load();
  c.left = leak_check.leaks();
  return c;
}

void require_clean(const Call& c, int workers) {
  INFO(workers << " workers; peak goroutines of the call " << c.peak_goroutines);
  REQUIRE(c.peak_goroutines <= static_cast<std::size_t>(workers + pool_helper_goroutines));
  REQUIRE(c.calls_in_progress_at_return == 0);
  INFO(goc::LeakCheck::describe(c.left));
  REQUIRE(c.left.empty());
}

}  // namespace

TEST_CASE("values come back in input order whatever order the jobs finish in") {
  // Jobs take 0 to 1.2 ms, out of step with their order, so they finish
  // shuffled; the first job is the slowest of all.
  JobFunction shuffled = [](int n) {
    goc::sleep_for(std::chrono::microseconds(n == 0 ? 20000 : (n * 7919) % 5 * 300));
    return JobOutput{3LL * n + 1, ""};
  };
  for (int workers : {2, 3, 8}) {
    auto inputs = pool_test::first_n(120);
    auto rec = std::make_shared<Recorder>(inputs.size());
    Call c = checked_call(inputs, workers, rec, shuffled);
    require_clean(c, workers);
    REQUIRE(c.outcome.error.empty());
    REQUIRE(c.outcome.values.size() == inputs.size());
    for (int n : inputs) {
      INFO("value " << n);
      REQUIRE(c.outcome.values[n] == 3LL * n + 1);
    }
  }
}

TEST_CASE("the job function is called exactly once per input") {
  for (int workers : {1, 4, 8}) {
    for (int n : {1, 5, 300}) {
      auto inputs = pool_test::first_n(n);
      auto rec = std::make_shared<Recorder>(inputs.size());
      Call c = checked_call(inputs, workers, rec, square);
      require_clean(c, workers);
      REQUIRE(c.outcome.error.empty());
      REQUIRE(rec->calls.load() == n);
      for (int i = 0; i < n; ++i) REQUIRE(rec->calls_per_input[i].load() == 1);
      for (int i = 0; i < n; ++i) REQUIRE(c.outcome.values[i] == static_cast<long long>(i) * i);
    }
  }
}

TEST_CASE("any job function works: the pool is generic over the work") {
  std::vector<int> inputs{5, -3, 0, 12, -7, 40};
  auto rec = std::make_shared<Recorder>(0);
  JobFunction cube = [](int n) { return JobOutput{static_cast<long long>(n) * n * n, ""}; };
  Call c = checked_call(inputs, 3, rec, cube);
  require_clean(c, 3);
  REQUIRE(c.outcome.error.empty());
  REQUIRE(c.outcome.values == std::vector<long long>{125, -27, 0, 1728, -343, 64000});

  // A job function with shared state of its own (safely shared: atomic).
  auto total = std::make_shared<std::atomic<long long>>(0);
  JobFunction add_up = [total](int n) {
    *total += n;
    return JobOutput{-n, ""};
  };
  Call d = checked_call(pool_test::first_n(100), 4, rec, add_up);
  require_clean(d, 4);
  REQUIRE(d.outcome.error.empty());
  REQUIRE(total->load() == 4950);
  REQUIRE(d.outcome.values[99] == -99);
}

TEST_CASE("an empty input returns at once with no values, no error and no job call") {
  for (int workers = 1; workers <= 8; ++workers) {
    auto rec = std::make_shared<Recorder>(0);
    Call c;
    auto took = goc_ex::time_of([&] { c = checked_call({}, workers, rec, square); });
    require_clean(c, workers);
    REQUIRE(c.outcome.values.empty());
    REQUIRE(c.outcome.error.empty());
    REQUIRE(rec->calls.load() == 0);
    REQUIRE(took < goc_ex::generous(300ms));
  }
}

TEST_CASE("the first job error is returned, without values, and the pool stops early") {
  // Jobs take at least 1 ms: a pool that keeps going needs far longer than
  // one that stops, which runs nowhere near a quarter of them.
  std::vector<int> inputs = pool_test::first_n(10000);
  JobFunction fails_at_ten = [](int n) {
    goc::sleep_for(1ms);
    if (n == 10) return JobOutput{0, "job 10 failed"};
    return square(n);
  };
  for (int workers = 8; workers >= 1; workers /= 2) {
    auto rec = std::make_shared<Recorder>(inputs.size());
    Call c = checked_call(inputs, workers, rec, fails_at_ten);
    require_clean(c, workers);
    REQUIRE(c.outcome.error == "job 10 failed");
    REQUIRE(c.outcome.values.empty());
    INFO(rec->calls.load() << " of " << inputs.size() << " jobs ran after an error at job 10");
    REQUIRE(rec->calls.load() < 2500);
  }
}

TEST_CASE("many failing jobs still close the pool's done exactly once") {
  // A collector that closes done at every error panics: close of closed channel.
  JobFunction always_fails = [](int n) { return JobOutput{0, "failed " + std::to_string(n)}; };
  pool_test::repeat(20, pool_test::repeat_budget, [&](int) {
    for (int workers : {2, 8}) {
      auto rec = std::make_shared<Recorder>(200);
      Call c;
      REQUIRE_NOTHROW(c = checked_call(pool_test::first_n(200), workers, rec, always_fails));
      require_clean(c, workers);
      REQUIRE(c.outcome.error.rfind("failed ", 0) == 0);
      REQUIRE(c.outcome.values.empty());
    }
  });
}

TEST_CASE("a cancel closed before the call returns canceled and runs hardly any job") {
  auto cancel = goc::make_chan<goc::Empty>();
  cancel.close();
  for (int workers = 1; workers <= 8; ++workers) {
    auto inputs = pool_test::first_n(10000);
    auto rec = std::make_shared<Recorder>(inputs.size());
    Call c = checked_call(inputs, workers, rec, square, cancel);
    require_clean(c, workers);
    REQUIRE(c.outcome.error == "canceled");
    REQUIRE(c.outcome.values.empty());
    INFO(rec->calls.load() << " jobs ran although cancel was already closed");
    REQUIRE(rec->calls.load() < 100);
  }
}

TEST_CASE("closing cancel during a run stops the pool within about a job's time") {
  // Jobs take 5 ms; once 40 have started the test closes cancel. Running the
  // remaining thousands would take seconds; a pool that stops returns within
  // a job or two (the bound on the count leaves room for a slow canceller).
  for (int workers : {8, 4, 1}) {  // a pool that does not stop fails fastest at 8
    auto inputs = pool_test::first_n(10000);
    auto rec = std::make_shared<Recorder>(inputs.size());
    auto cancel = goc::make_chan<goc::Empty>();
    auto started = std::make_shared<std::atomic<int>>(0);
    auto fortieth = goc::make_chan<goc::Empty>(1);
    JobFunction slow = [started, fortieth](int n) {
      if (++*started == 40) fortieth.send(goc::Empty{});
      goc::sleep_for(5ms);
      return square(n);
    };
    goc::go([fortieth, cancel] {  // the caller's side, cancelling mid-run
      fortieth.recv();
      cancel.close();
    });
    Call c;
    goc_ex::finish_within(goc_ex::generous(2000ms), "run_ordered_pool after cancel was closed",
                          [&] { c = checked_call(inputs, workers, rec, slow, cancel); });
    // One more goroutine than the pool's: the canceller above.
    INFO(workers << " workers; peak goroutines " << c.peak_goroutines);
    REQUIRE(c.peak_goroutines <= static_cast<std::size_t>(workers + pool_helper_goroutines + 1));
    REQUIRE(c.calls_in_progress_at_return == 0);
    REQUIRE(c.left.empty());
    REQUIRE(c.outcome.error == "canceled");
    REQUIRE(c.outcome.values.empty());
    INFO(rec->calls.load() << " jobs ran; cancel was closed at the 40th");
    REQUIRE(rec->calls.load() < 40 + 200);
  }
}

TEST_CASE("a cancel closed only after the last job does not spoil a complete run") {
  auto cancel = goc::make_chan<goc::Empty>();
  auto inputs = pool_test::first_n(50);
  auto rec = std::make_shared<Recorder>(inputs.size());
  Call c = checked_call(inputs, 4, rec, square, cancel);
  cancel.close();
  require_clean(c, 4);
  REQUIRE(c.outcome.error.empty());
  REQUIRE(c.outcome.values.size() == inputs.size());
}

TEST_CASE("live goroutines never exceed worker_count plus the helpers, for 1 to 8 workers") {
  for (int workers = 1; workers <= 8; ++workers) {
    for (int n : {0, workers - 1, 3 * workers + 1, 100}) {
      auto inputs = pool_test::first_n(n);
      auto rec = std::make_shared<Recorder>(inputs.size());
      Call c = checked_call(inputs, workers, rec, square);
      require_clean(c, workers);
      REQUIRE(c.outcome.values.size() == inputs.size());
    }
  }
  const int workers = 8;  // the largest input: still no goroutine per job
  auto inputs = pool_test::first_n(big_input);
  auto rec = std::make_shared<Recorder>(inputs.size());
  Call c = checked_call(inputs, workers, rec, square);
  require_clean(c, workers);
  REQUIRE(c.outcome.values.size() == inputs.size());
}

TEST_CASE("the pool runs exactly worker_count jobs at once") {
  for (int workers : {1, 3, 8}) {
    goc::LeakCheck leak_check;
    auto rec = std::make_shared<Recorder>(static_cast<std::size_t>(4 * workers));
    auto gate = goc::make_chan<goc::Empty>();
    JobFunction held = recorded(rec, [gate](int n) {
      gate.recv();
      return square(n);
    });
    auto inputs = pool_test::first_n(4 * workers);
    auto outcome = std::make_shared<OrderedOutcome>();
    auto returned = goc::make_chan<goc::Empty>();
    goc::go([=] {
      *outcome = run_ordered_pool(inputs, workers, held, no_cancel);
      returned.close();
    });
    auto deadline = goc::now() + goc_ex::generous(1000ms);
    while (rec->in_flight.load() < workers && goc::now() < deadline) goc::sleep_for(1ms);
    goc::sleep_for(50ms);  // room for a pool that starts too many to show it
    long at_once = rec->in_flight.load();
    gate.close();  // before any REQUIRE: never leave the pool stuck
    bool returned_in_time = pool_test::signalled_within(returned, goc_ex::generous(3000ms));
    INFO(workers << " workers: " << at_once << " jobs at once, at most "
                 << rec->max_in_flight.load());
    REQUIRE(at_once == workers);
    REQUIRE(rec->max_in_flight.load() == workers);
    REQUIRE(returned_in_time);
    REQUIRE(outcome->values.size() == inputs.size());
    auto left = leak_check.leaks();
    INFO(goc::LeakCheck::describe(left));
    REQUIRE(left.empty());
  }
}

TEST_CASE("repeated runs give the same answers") {
  auto inputs = pool_test::first_n(60);
  JobFunction fails_at_thirty = [](int n) {
    if (n == 30) return JobOutput{0, "thirty"};
    return square(n);
  };
  pool_test::repeat(pool_test::same_answer_rounds, pool_test::repeat_budget, [&](int round) {
    INFO("round " << round);
    auto rec = std::make_shared<Recorder>(inputs.size());
    Call ok = checked_call(inputs, 4, rec, square);
    require_clean(ok, 4);
    REQUIRE(ok.outcome.error.empty());
    for (int n : inputs) REQUIRE(ok.outcome.values[n] == static_cast<long long>(n) * n);
    Call bad = checked_call(inputs, 4, rec, fails_at_thirty);
    require_clean(bad, 4);
    REQUIRE(bad.outcome.error == "thirty");
    REQUIRE(bad.outcome.values.empty());
  });
}
