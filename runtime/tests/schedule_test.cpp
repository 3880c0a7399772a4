// Seeded schedules and virtual time (goc/detail/schedule.hpp), run as child
// processes of goc_scenarios with GOC_SCHEDULE set.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "goc/testing/catch.hpp"

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string schedule(int seed) { return "GOC_SCHEDULE=random:" + std::to_string(seed); }

std::vector<int> numbers(const std::string& line) {
  std::istringstream in(line);
  std::vector<int> out;
  for (int v; in >> v;) out.push_back(v);
  return out;
}

// Runs `scenario` twice under each of the seeds 1..`seeds`: both runs must
// succeed with the same output, which check(output) then looks at. Returns
// how many different outputs the seeds gave.
template <class Check>
std::size_t distinct_replayed_outputs(const char* scenario, int seeds, Check check) {
  std::set<std::string> seen;
  for (int seed = 1; seed <= seeds; ++seed) {
    auto first = run_scenario(scenario, schedule(seed));
    auto again = run_scenario(scenario, schedule(seed));
    INFO(first.output);
    REQUIRE(first.exit_status == 0);
    CHECK(again.output == first.output);
    check(first.output);
    seen.insert(first.output);
  }
  return seen.size();
}

}  // namespace

TEST_CASE("the same seed replays the same interleaving, and other seeds find others") {
  const std::size_t distinct =
      distinct_replayed_outputs("schedule-interleaving", 8, [](const std::string& out) {
        // Every value arrives once, each goroutine's own in the order it sent them.
        std::vector<int> got = numbers(out);
        CHECK(got.size() == 12);
        for (int g = 1; g <= 3; ++g) {
          int next = 0;
          for (int v : got)
            if (v / 10 == g) CHECK(v % 10 == next++);
          CHECK(next == 4);
        }
      });
  CHECK(distinct >= 3);
}

TEST_CASE("a test can start a schedule with the API, as GOC_SCHEDULE does, and only once") {
  auto by_api = run_scenario("schedule-started-by-api", "");
  auto by_env = run_scenario("schedule-interleaving", schedule(3));
  INFO(by_api.output);
  REQUIRE(by_api.exit_status == 0);
  CHECK(contains(by_api.output, "malformed: refused (schedule \"random:three\": expected random:SEED"));
  CHECK(contains(by_api.output, "random:3: started\n"));
  CHECK(contains(by_api.output, "again: refused (a schedule is already on (random:3))"));
  // The same interleaving as the environment's schedule of the same seed.
  CHECK(by_api.output.substr(by_api.output.rfind("again:")).substr(
            by_api.output.substr(by_api.output.rfind("again:")).find('\n') + 1) == by_env.output);
}

TEST_CASE("a PCT schedule replays by its seed and depth, and its seeds find other interleavings") {
  std::set<std::string> seen;
  for (int seed = 1; seed <= 6; ++seed) {
    std::string spec = "GOC_SCHEDULE=pct:" + std::to_string(seed) + ":3";
    auto first = run_scenario("schedule-interleaving", spec);
    auto again = run_scenario("schedule-interleaving", spec);
    INFO(first.output);
    REQUIRE(first.exit_status == 0);
    CHECK(again.output == first.output);
    CHECK(numbers(first.output).size() == 12);
    seen.insert(first.output);
  }
  CHECK(seen.size() >= 2);
}

TEST_CASE("under a schedule a Mutex held across a turn still excludes, in the seed's order") {
  const std::size_t distinct =
      distinct_replayed_outputs("schedule-mutex-held-across-a-turn", 6, [](const std::string& out) {
        // Entries and exits pair up: nobody enters while another holds it.
        std::vector<int> got = numbers(out);
        REQUIRE(got.size() == 24);
        for (std::size_t i = 0; i < got.size(); i += 2) CHECK(got[i] == got[i + 1]);
      });
  CHECK(distinct >= 2);
}

TEST_CASE("under a schedule select's choice among ready cases follows the seed") {
  std::set<std::string> seen;
  for (int seed = 1; seed <= 3; ++seed) {
    auto first = run_scenario("schedule-select-choices", schedule(seed));
    auto again = run_scenario("schedule-select-choices", schedule(seed));
    INFO(first.output);
    REQUIRE(first.exit_status == 0);
    CHECK(again.output == first.output);
    CHECK(first.output.find('a') != std::string::npos);
    CHECK(first.output.find('b') != std::string::npos);
    seen.insert(first.output);
  }
  CHECK(seen.size() == 3);
}

TEST_CASE("under a schedule a goroutine that passes its turn inside a catch block keeps its exception") {
  auto r = run_scenario("schedule-turn-inside-catch", schedule(2));
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(r.output == "own exception\nown exception\nown exception\n");
}

TEST_CASE("under a schedule goroutines run on main's thread, not a thread each") {
  auto r = run_scenario("schedule-threads-in-use", schedule(1));
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(r.output == "threads: a few\n");
}

TEST_CASE("under a schedule timers fire in deadline order on a virtual clock, at once in real time") {
  auto r = run_scenario("schedule-virtual-time", schedule(3));
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(r.output ==
        "timer fired\nwoke after 1 h\nwoke after 2 h\nwoke after 3 h\nreal time under 10 s: yes\n");
}

TEST_CASE("under a schedule now() reads the virtual clock, which moves only by what was waited") {
  for (const char* spec : {"GOC_SCHEDULE=random:1", "GOC_SCHEDULE=pct:2:3"}) {
    auto r = run_scenario("schedule-now", spec);
    INFO(spec << "\n" << r.output);
    CHECK(r.exit_status == 0);
    CHECK(r.output ==
          "before any wait: 0 min\nafter a 1 h sleep: 60 min\nafter a 30 min timer: 90 min\n"
          "real time under 10 s: yes\n");
  }
}

TEST_CASE("under a schedule a goroutine that never makes a runtime call is reported") {
  auto r = run_scenario("schedule-busy-loop", schedule(1));
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "goroutine 1 ran for 1 s without a runtime call (started at main)"));
  CHECK(contains(r.output, "GOC_SCHEDULE=random:1"));
  CHECK_FALSE(contains(r.output, "the busy loop ended"));
}

TEST_CASE("under a schedule a loop that polls for a timer is reported instead of hanging") {
  auto r = run_scenario("schedule-polling-loop", schedule(1));
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "a loop that polls (a select with a default case"));
  CHECK_FALSE(contains(r.output, "the polling loop ended"));
  // Without a schedule the timer fires in real time and the loop ends.
  auto free = run_scenario("schedule-polling-loop");
  CHECK(free.exit_status == 0);
  CHECK(contains(free.output, "the polling loop ended"));
}

TEST_CASE("under a schedule yield is a scheduling point: a read-yield-write loses updates every time the seed says") {
  int lost_in = 0;
  const std::size_t distinct =
      distinct_replayed_outputs("schedule-read-yield-write", 6, [&](const std::string& out) {
        std::vector<int> got = numbers(out.substr(out.find(' ') + 1));
        REQUIRE(got.size() == 1);
        CHECK(got[0] >= 1);
        CHECK(got[0] <= 12);
        lost_in += got[0] < 12;
      });
  CHECK(lost_in >= 3);  // of 6 seeds: the turn passes at every yield
  CHECK(distinct >= 2);
}

TEST_CASE("under a schedule a thread not started by go() that sleeps in a receive is woken") {
  auto r = run_scenario("schedule-thread-not-started-by-go", schedule(2));
  INFO(r.output);
  CHECK(r.exit_status == 0);
  CHECK(r.output == "received 42\n");
}

TEST_CASE("under a schedule a deadlock is reported with the seed and the last decisions") {
  auto r = run_scenario("deadlock-with-goroutines", schedule(5));
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "fatal error: all goroutines are asleep - deadlock!"));
  CHECK(contains(r.output, "schedule: GOC_SCHEDULE=random:5"));
  CHECK(contains(r.output, "last scheduling decisions, oldest first:"));
}

TEST_CASE("a malformed GOC_SCHEDULE is refused with what to write instead") {
  for (const char* bad : {"GOC_SCHEDULE=sometimes", "GOC_SCHEDULE=random:", "GOC_SCHEDULE=pct:1",
                          "GOC_SCHEDULE=pct:1:0", "GOC_SCHEDULE=random:7x"}) {
    auto r = run_scenario("schedule-interleaving", bad);
    INFO(bad << "\n" << r.output);
    CHECK(r.exit_status == 2);
    CHECK(contains(r.output, "expected random:SEED or pct:SEED:DEPTH[:STEPS]"));
  }
}

#ifdef GOC_TSAN_BUILD
TEST_CASE("taking turns hides no race from ThreadSanitizer") {
  for (int seed : {1, 2}) {
    auto r = run_scenario("data-race", schedule(seed));
    INFO(r.output);
    CHECK(contains(r.output, "WARNING: ThreadSanitizer: data race"));
  }
}
#endif
