// The trace recorder (goc/detail/trace.hpp): a program's trace, read back as
// JSON, says what the program did. In-process runs record with
// trace_start/trace_stop; the exit paths (deadlock, panic, fatal error,
// SIGQUIT, the scheduler's reports) run in a child process with GOC_TRACE.
#include "goc/testing/catch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_support.hpp"
#include "goc/detail/trace.hpp"
#include "goc/goc.hpp"

using json = nlohmann::json;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A file name of its own for each trace this process writes.
std::string temp_trace_path(const std::string& what) {
  static int n = 0;
  return "/tmp/goc-trace-test-" + std::to_string(getpid()) + "-" + std::to_string(++n) + "-" +
         what + ".json";
}

json read_trace(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path.c_str());
  return json::parse(text.str());
}

std::vector<json> events_where(const json& trace, const std::string& ph, const std::string& cat,
                               const std::string& name = "") {
  std::vector<json> out;
  for (const json& e : trace["traceEvents"])
    if (e.value("ph", "") == ph && e.value("cat", "") == cat &&
        (name.empty() || e.value("name", "") == name))
      out.push_back(e);
  return out;
}

// The goroutine tracks: thread_name metadata, by tid.
std::map<long, std::string> track_names(const json& trace) {
  std::map<long, std::string> names;
  for (const json& e : trace["traceEvents"])
    if (e.value("ph", "") == "M" && e.value("name", "") == "thread_name")
      names[e["tid"].get<long>()] = e["args"]["name"].get<std::string>();
  return names;
}

// Records `program` in-process and returns the trace.
template <class F>
json record(const std::string& what, F program) {
  std::string path = temp_trace_path(what);
  std::string error;
  REQUIRE(goc::detail::trace_start(path, &error));
  program();
  REQUIRE(goc::detail::trace_stop(&error));
  return read_trace(path);
}

constexpr int kJobs = 20;
constexpr int kWorkers = 3;

// Jobs 1..20 through a buffered channel to three workers, results back on an
// unbuffered one, received by main in a select; a WaitGroup closes results.
json pipeline_trace() {
  static const json trace = record("pipeline", [] {
    auto jobs = goc::make_chan<int>(3);
    auto results = goc::make_chan<int>();
    goc::WaitGroup wg;
    goc::Mutex mu;
    int handled = 0;
    for (int w = 0; w < kWorkers; ++w) {
      wg.add(1);
      goc::go([=, &wg, &mu, &handled] {
        for (int j : jobs) {
          mu.lock();
          ++handled;
          mu.unlock();
          results.send(j * 100);
        }
        wg.done();
      });
    }
    goc::go([=] {
      for (int i = 1; i <= kJobs; ++i) jobs.send(i);
      jobs.close();
    });
    goc::go([=, &wg] {
      wg.wait();
      results.close();
    });
    int received = 0;
    for (bool open = true; open;)
      goc::select(goc::recv_case(results, [&](int, bool ok) {
        if (ok) ++received; else open = false;
      }));
    REQUIRE(received == kJobs);
    REQUIRE(handled == kJobs);
    // The closer and the workers record their last events (the close, their
    // ends) after main can see them: wait until they have ended.
    REQUIRE(wait_for_live_count(1));
  });
  return trace;
}

}  // namespace

TEST_CASE("a traced pipeline records one send and one receive per value on each channel") {
  json trace = pipeline_trace();
  REQUIRE(trace["otherData"]["format"] == "goc-trace-1");
  std::map<std::string, int> sends, receives;
  for (const json& e : events_where(trace, "i", "chan")) {
    const json& a = e["args"];
    std::string op = e["name"];
    if (op == "select" && a.value("op", "") == "recv") op = "recv";
    if (op == "send") ++sends[a["chan"]];
    if (op == "recv" && !a.value("closed", false)) ++receives[a["chan"]];
  }
  // Two channels carried values: jobs and results, 20 each way.
  REQUIRE(sends.size() == 2);
  for (const auto& [chan, n] : sends) {
    INFO(chan);
    CHECK(n == kJobs);
    CHECK(receives[chan] == kJobs);
  }
}

TEST_CASE("every arrow joins a send to the receive of the same value, at the same position") {
  json trace = pipeline_trace();
  std::map<std::string, std::string> sent_value, received_value;
  std::map<std::string, double> sent_at, received_at;
  for (const json& e : events_where(trace, "i", "chan")) {
    const json& a = e["args"];
    if (!a.contains("pos")) continue;
    std::string id = a["chan"].get<std::string>() + "#" + std::to_string(a["pos"].get<int>());
    bool sending = e["name"] == "send" || a.value("op", "") == "send";
    (sending ? sent_value : received_value)[id] = a["value"];
    (sending ? sent_at : received_at)[id] = e["ts"];
  }
  auto starts = events_where(trace, "s", "handoff");
  auto finishes = events_where(trace, "f", "handoff");
  REQUIRE(starts.size() == 2 * kJobs);
  REQUIRE(finishes.size() == starts.size());
  std::set<std::string> finish_ids;
  for (const json& f : finishes) finish_ids.insert(f["id"].get<std::string>());
  for (const json& s : starts) {
    std::string id = s["id"];
    INFO(id);
    CHECK(finish_ids.count(id) == 1);
    REQUIRE(sent_value.count(id) == 1);
    REQUIRE(received_value.count(id) == 1);
    CHECK(sent_value[id] == received_value[id]);
    CHECK(sent_at[id] <= received_at[id]);  // an arrow never points back in time
  }
}

TEST_CASE("a traced run has one goroutine track per go() call plus main") {
  json trace = pipeline_trace();
  auto names = track_names(trace);
  names.erase(0);  // the runtime's timers, if any
  auto gos = events_where(trace, "i", "go", "go");
  REQUIRE(gos.size() == kWorkers + 2);
  CHECK(names.size() == gos.size() + 1);
  int main_tracks = 0;
  for (const auto& [tid, name] : names) {
    INFO(name);
    if (name == "main") ++main_tracks;
    else CHECK(contains(name, "started at trace_test.cpp:"));
  }
  CHECK(main_tracks == 1);
  // Each go() has an arrow to its goroutine's start.
  CHECK(events_where(trace, "s", "spawn").size() == gos.size());
  CHECK(events_where(trace, "f", "spawn").size() == gos.size());
  CHECK(events_where(trace, "i", "go", "start").size() == gos.size());
  CHECK(events_where(trace, "i", "go", "end").size() == gos.size());
}

TEST_CASE("closes and select choices are recorded with the channel and the case chosen") {
  json trace = pipeline_trace();
  CHECK(events_where(trace, "i", "chan", "close").size() == 2);
  auto selects = events_where(trace, "i", "chan", "select");
  CHECK(selects.size() == kJobs + 1);  // every result, then the close
  for (const json& s : selects) {
    CHECK(s["args"]["case"] == 0);
    CHECK(s["args"]["made"].get<std::string>().rfind("trace_test.cpp:", 0) == 0);
  }
}

TEST_CASE("a select's case is its place among the select's arguments, -1 for the default") {
  json trace = record("select-cases", [] {
    auto ready = goc::make_chan<int>(1);
    auto idle = goc::make_chan<int>();
    goc::select(goc::default_case(), goc::recv_case(idle));
    ready.send(5);
    goc::select(goc::default_case(), goc::recv_case(idle), goc::recv_case(ready));
  });
  auto selects = events_where(trace, "i", "chan", "select");
  REQUIRE(selects.size() == 2);
  CHECK(selects[0]["args"]["case"] == -1);
  CHECK(selects[1]["args"]["case"] == 2);
  CHECK(selects[1]["args"]["value"] == "5");
}

TEST_CASE("WaitGroup and Mutex operations are recorded with their object") {
  json trace = pipeline_trace();
  CHECK(events_where(trace, "i", "sync", "WaitGroup.Add").size() == kWorkers);
  CHECK(events_where(trace, "i", "sync", "WaitGroup.Done").size() == kWorkers);
  CHECK(events_where(trace, "i", "sync", "WaitGroup.Wait").size() == 1);
  auto locks = events_where(trace, "i", "sync", "Mutex.Lock");
  CHECK(locks.size() == kJobs);
  CHECK(events_where(trace, "i", "sync", "Mutex.Unlock").size() == kJobs);
  for (const json& l : locks) CHECK(l["args"]["object"].get<std::string>().rfind("mu", 0) == 0);
}

TEST_CASE("every running and blocked span has a goroutine track, and blocked spans a known reason") {
  json trace = pipeline_trace();
  auto names = track_names(trace);
  const std::set<std::string> reasons{"chan receive", "chan send",      "select",
                                      "Mutex.Lock",   "WaitGroup.Wait", "sleep"};
  CHECK(!events_where(trace, "X", "run").empty());
  for (const json& e : events_where(trace, "X", "block")) {
    CHECK(reasons.count(e["args"]["reason"]) == 1);
    CHECK(names.count(e["tid"].get<long>()) == 1);
  }
}

namespace {
struct Opaque {
  int secret = 0;
};
}  // namespace

TEST_CASE("a goroutine that yields to others on its thread waits as runnable at its yield and then runs") {
  if (!goc::detail::fibers_on()) return;  // threads: yield gives up the core, nothing to draw
  std::atomic<int> yield_line{0};
  json trace = record("yield", [&] {
    // Eight goroutines on two or so threads: some yield finds another
    // goroutine waiting for its thread (see free_run_test.cpp).
    std::atomic<int> total{0};
    goc::WaitGroup wg;
    for (int g = 0; g < 8; ++g) {
      wg.add(1);
      goc::go([&] {
        for (int i = 0; i < 20; ++i) {
          int seen = total.load(std::memory_order_relaxed);
          yield_line.store(__LINE__ + 1, std::memory_order_relaxed);
          goc::yield();
          total.store(seen + 1, std::memory_order_relaxed);
        }
        wg.done();
      });
    }
    wg.wait();
    REQUIRE(wait_for_live_count(1));
  });
  auto names = track_names(trace);
  auto waits = events_where(trace, "X", "block", "runnable");
  REQUIRE(!waits.empty());
  auto runs = events_where(trace, "X", "run");
  for (const json& w : waits) {
    CHECK(w["args"]["reason"] == "runnable");
    CHECK(w["args"]["line"] == yield_line.load());
    CHECK(names.count(w["tid"].get<long>()) == 1);
    // It runs again where the wait ends (the JSON's times are rounded).
    const double end = w["ts"].get<double>() + w["dur"].get<double>();
    CHECK(std::any_of(runs.begin(), runs.end(), [&](const json& r) {
      return r["tid"] == w["tid"] && std::fabs(r["ts"].get<double>() - end) < 0.01;
    }));
  }
}

TEST_CASE("a value whose type does not print is left out; one that prints is written") {
  json trace = record("values", [] {
    auto opaque = goc::make_chan<Opaque>(1);
    auto words = goc::make_chan<std::string>(1);
    opaque.send(Opaque{7});
    opaque.recv();
    words.send("say \"hi\"");
    words.recv();
  });
  auto sends = events_where(trace, "i", "chan", "send");
  REQUIRE(sends.size() == 2);
  CHECK(!sends[0]["args"].contains("value"));
  CHECK(sends[1]["args"]["value"] == "say \"hi\"");
}

namespace {
struct Point {
  int x = 0, y = 0;
};
std::ostream& operator<<(std::ostream& os, const Point& p) { return os << "(" << p.x << "," << p.y << ")"; }
}  // namespace

TEST_CASE("values kept as bits while recording are written as the channel would print them") {
  json trace = record("value-kinds", [] {
    auto negative = goc::make_chan<int>(1);
    auto big = goc::make_chan<std::uint64_t>(1);
    auto flag = goc::make_chan<bool>(1);
    auto ratio = goc::make_chan<double>(1);
    auto point = goc::make_chan<Point>(1);
    negative.send(-7);
    big.send(std::uint64_t{18446744073709551615u});
    flag.send(true);
    ratio.send(0.25);
    point.send(Point{3, 4});
    negative.recv();
    big.recv();
    flag.recv();
    ratio.recv();
    point.recv();
  });
  std::vector<std::string> sent, received;
  for (const json& e : events_where(trace, "i", "chan", "send")) sent.push_back(e["args"]["value"]);
  for (const json& e : events_where(trace, "i", "chan", "recv")) received.push_back(e["args"]["value"]);
  const std::vector<std::string> expected{"-7", "18446744073709551615", "true", std::to_string(0.25),
                                          "(3,4)"};
  CHECK(sent == expected);
  CHECK(received == expected);
}

TEST_CASE("timers and sleeps are recorded") {
  json trace = record("timers", [] {
    goc::sleep_for(std::chrono::microseconds(10));
    goc::time_after(std::chrono::microseconds(10)).recv();
  });
  CHECK(events_where(trace, "i", "timer", "sleep").size() == 1);
  CHECK(events_where(trace, "i", "timer", "timer set").size() == 1);
  CHECK(events_where(trace, "i", "timer", "timer fired").size() == 1);
  CHECK(track_names(trace)[0] == "timers");
}

TEST_CASE("starting a trace twice, or stopping none, is refused with the reason") {
  std::string path = temp_trace_path("twice"), error;
  REQUIRE(goc::detail::trace_start(path, &error));
  CHECK_FALSE(goc::detail::trace_start(path, &error));
  CHECK(contains(error, "already"));
  REQUIRE(goc::detail::trace_stop(&error));
  CHECK_FALSE(goc::detail::trace_stop(&error));
  CHECK(contains(error, "no trace"));
  CHECK_FALSE(goc::detail::trace_start("/nonexistent-folder/t.json", &error));
  CHECK(contains(error, "cannot create"));
  std::remove(path.c_str());
}

// ---------------------------------------------------------------------------
// Exit paths, in child processes.
namespace {

json child_trace(const std::string& scenario, const std::string& env, ChildResult* result) {
  std::string path = temp_trace_path(scenario);
  *result = run_scenario(scenario, "GOC_TRACE=" + path + " " + env);
  INFO(result->output);
  return read_trace(path);
}

}  // namespace

TEST_CASE("a deadlock still writes the trace, with the blocked goroutines' spans") {
  ChildResult r;
  json trace = child_trace("deadlock-with-goroutines", "", &r);
  CHECK(r.exit_status == 2);
  std::set<std::string> reasons;
  for (const json& e : events_where(trace, "X", "block")) reasons.insert(e["args"]["reason"]);
  CHECK(reasons.count("chan send") == 1);
  CHECK(reasons.count("WaitGroup.Wait") == 1);
}

TEST_CASE("a panic, a fatal error and SIGQUIT still write the trace") {
  for (const char* scenario : {"panic-in-goroutine", "panic-in-main", "unlock-of-unlocked-mutex",
                               "hang-until-quit"}) {
    INFO(scenario);
    ChildResult r;
    json trace = child_trace(scenario, "", &r);
    CHECK(r.exit_status == 2);
    CHECK(track_names(trace).count(1) == 1);
  }
}

TEST_CASE("the scheduler's fatal report of a goroutine that never yields still writes the trace") {
  ChildResult r;
  json trace = child_trace("schedule-busy-loop", "GOC_SCHEDULE=random:1", &r);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "without a runtime call"));
  CHECK(track_names(trace).count(1) == 1);
}

TEST_CASE("under a seeded schedule the clock is logical and the report names the channel and value") {
  ChildResult r;
  json trace = child_trace("deadlock-with-goroutines", "GOC_SCHEDULE=random:3", &r);
  CHECK(trace["otherData"]["clock"] == "virtual");
  CHECK(trace["otherData"]["schedule"] == "random:3");
  INFO(r.output);
  CHECK(contains(r.output, " send 1 on c1 (made at scenarios.cpp:"));
}

TEST_CASE("under a schedule parked senders keep their own values and stay blocked until received") {
  for (int seed = 1; seed <= 3; ++seed) {
    ChildResult r;
    json trace = child_trace("parked-senders", "GOC_SCHEDULE=random:" + std::to_string(seed), &r);
    INFO("seed " << seed << "\n" << r.output);
    REQUIRE(r.exit_status == 0);
    std::map<std::uint64_t, std::string> sent_by;        // sender's goroutine -> its value
    std::map<std::uint64_t, double> received_at;          // sender's goroutine -> receive time
    std::map<std::string, std::uint64_t> sender_of_value;
    for (const json& e : events_where(trace, "i", "chan")) {
      if (e["name"] == "send") {
        sent_by[e["tid"]] = e["args"]["value"];
        sender_of_value[e["args"]["value"]] = e["tid"];
      }
    }
    for (const json& e : events_where(trace, "i", "chan"))
      if (e["name"] == "recv") received_at[sender_of_value[e["args"]["value"]]] = e["ts"];
    REQUIRE(sent_by.size() == 3);  // three senders, three different values
    for (const json& e : trace["traceEvents"]) {
      if (e.value("ph", "") != "X" || e["name"] != "blocked: chan send") continue;
      std::uint64_t g = e["tid"];
      INFO("goroutine " << g);
      CHECK(e["ts"].get<double>() + e["dur"].get<double>() >= received_at[g]);
    }
  }
}

TEST_CASE("a schedule started while recording leaves each event on its own goroutine's track") {
  ChildResult r;
  json trace = child_trace("schedule-started-while-tracing", "", &r);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  // Each sender's values are id * 100 + i: the hundreds name the goroutine.
  std::map<int, std::set<std::uint64_t>> tracks_of_sender;
  int sends = 0, locks = 0;
  std::set<std::uint64_t> sender_tracks;
  for (const json& e : events_where(trace, "i", "chan")) {
    if (e["name"] != "send") continue;
    ++sends;
    const std::uint64_t tid = e["tid"];
    tracks_of_sender[std::stoi(e["args"]["value"].get<std::string>()) / 100].insert(tid);
    sender_tracks.insert(tid);
  }
  for (const json& e : events_where(trace, "i", "sync"))
    if (e["name"] == "Mutex.Lock") {
      ++locks;
      CHECK(sender_tracks.count(e["tid"].get<std::uint64_t>()) == 1);
    }
  CHECK(sends == 40);
  CHECK(locks == 40);
  REQUIRE(tracks_of_sender.size() == 2);
  for (const auto& [id, tracks] : tracks_of_sender) {
    INFO("sender " << id);
    CHECK(tracks.size() == 1);
  }
  CHECK(*tracks_of_sender[1].begin() != *tracks_of_sender[2].begin());
}

namespace {

// The hand-off ends in a trace: per flow id ("c2#1"), the chan events at that
// position on that channel, split by side, and the flow starts and finishes.
struct HandOffs {
  std::map<std::string, std::vector<json>> sends, receives;
  std::map<std::string, int> starts, finishes;
};

HandOffs hand_offs(const json& trace) {
  HandOffs h;
  for (const json& e : events_where(trace, "i", "chan")) {
    const json& a = e["args"];
    if (!a.contains("pos")) continue;
    std::string id = a["chan"].get<std::string>() + "#" + std::to_string(a["pos"].get<int>());
    bool sending = e["name"] == "send" || a.value("op", "") == "send";
    (sending ? h.sends : h.receives)[id].push_back(e);
  }
  for (const json& e : events_where(trace, "s", "handoff")) ++h.starts[e["id"]];
  for (const json& e : events_where(trace, "f", "handoff")) ++h.finishes[e["id"]];
  return h;
}

}  // namespace

TEST_CASE("a hand-off whose parked partner never runs again still has both ends and its arrow") {
  for (int seed = 1; seed <= 2; ++seed) {  // two interleavings (a child each: ~1 s under TSan)
    ChildResult r;
    json trace =
        child_trace("partners-never-resume", "GOC_SCHEDULE=random:" + std::to_string(seed), &r);
    INFO("seed " << seed << "\n" << r.output);
    REQUIRE(r.exit_status == 0);
    REQUIRE(contains(r.output, "took 41 42, gave 43 44"));
    auto names = track_names(trace);
    HandOffs h = hand_offs(trace);
    // c1..c4 are made in this order; the timer's channel, if any, is none of them.
    const std::map<std::string, std::string> value_of{
        {"c1#1", "41"}, {"c2#1", "42"}, {"c3#1", "43"}, {"c4#1", "44"}};
    for (const auto& [id, value] : value_of) {
      INFO(id);
      REQUIRE(h.sends[id].size() == 1);
      REQUIRE(h.receives[id].size() == 1);
      CHECK(h.starts[id] == 1);
      CHECK(h.finishes[id] == 1);
      const json& send = h.sends[id][0];
      const json& recv = h.receives[id][0];
      CHECK(send["args"]["value"] == value);
      CHECK(recv["args"]["value"] == value);
      CHECK(send["ts"].get<double>() <= recv["ts"].get<double>());
      // The partner's event is on its own track, with its own source line.
      bool main_sent = id == "c3#1" || id == "c4#1";
      const json& partner = main_sent ? recv : send;
      const json& mine = main_sent ? send : recv;
      CHECK(names[mine["tid"].get<long>()] == "main");
      CHECK(contains(names[partner["tid"].get<long>()], "started at scenarios.cpp:"));
      CHECK(partner["args"]["file"] == "scenarios.cpp");
      CHECK(partner["args"]["line"].get<int>() != mine["args"]["line"].get<int>());
    }
    CHECK(h.sends["c2#1"][0]["name"] == "select");
    CHECK(h.receives["c4#1"][0]["name"] == "select");
    CHECK(h.receives["c4#1"][0]["args"]["case"] == 0);
  }
}

TEST_CASE("a hand-off whose parked partner runs again has one event per side, not two") {
  auto sent = goc::make_chan<int>();
  auto selected = goc::make_chan<int>();
  auto received = goc::make_chan<int>();
  auto select_received = goc::make_chan<int>();
  int send_line = 0, select_send_line = 0, recv_line = 0, select_recv_line = 0;
  json trace = record("partners-resume", [&] {
    goc::WaitGroup wg;
    wg.add(4);
    // Each partner parks (main waits until it has), main completes the
    // hand-off, and the partner runs again before the trace stops.
    auto parked = [](std::uint64_t id, const char* state) { REQUIRE(wait_for_state(id, state)); };
    std::uint64_t id = next_id();
    goc::go([&] { send_line = __LINE__; sent.send(41); wg.done(); });
    parked(id, "chan send");
    CHECK(sent.recv() == 41);
    id = next_id();
    goc::go([&] { select_send_line = __LINE__; goc::select(goc::send_case(selected, 42)); wg.done(); });
    parked(id, "select");
    CHECK(selected.recv() == 42);
    id = next_id();
    goc::go([&] { recv_line = __LINE__; CHECK(received.recv() == 43); wg.done(); });
    parked(id, "chan receive");
    received.send(43);
    id = next_id();
    goc::go([&] {
      select_recv_line = __LINE__; goc::select(goc::recv_case(select_received)); wg.done();
    });
    parked(id, "select");
    select_received.send(44);
    wg.wait();
    REQUIRE(wait_for_live_count(1));  // their last events are in before the trace stops
  });
  HandOffs h = hand_offs(trace);
  int sends = 0, receives = 0;
  for (const auto& [id, events] : h.sends) sends += static_cast<int>(events.size());
  for (const auto& [id, events] : h.receives) receives += static_cast<int>(events.size());
  CHECK(sends == 4);
  CHECK(receives == 4);
  REQUIRE(h.starts.size() == 4);
  for (const auto& [id, n] : h.starts) {
    INFO(id);
    CHECK(n == 1);
    CHECK(h.finishes[id] == 1);
    REQUIRE(h.sends[id].size() == 1);
    REQUIRE(h.receives[id].size() == 1);
  }
  // Each partner's event carries its own line (the line its lambda noted).
  std::set<int> partner_lines;
  for (const auto& [id, events] : h.sends) partner_lines.insert(events[0]["args"]["line"].get<int>());
  for (const auto& [id, events] : h.receives) partner_lines.insert(events[0]["args"]["line"].get<int>());
  for (int line : {send_line, select_send_line, recv_line, select_recv_line}) CHECK(partner_lines.count(line) == 1);
}

TEST_CASE("a parked partner's blocked span ends when its value moved: at its event's time") {
  auto received = goc::make_chan<int>();
  auto sent = goc::make_chan<int>();
  auto select_received = goc::make_chan<int>();
  std::vector<std::uint64_t> partners;
  json trace = record("blocked-until-moved", [&] {
    goc::WaitGroup wg;
    wg.add(3);
    auto parked = [](std::uint64_t id, const char* state) { REQUIRE(wait_for_state(id, state)); };
    partners.push_back(next_id());
    goc::go([&] { CHECK(received.recv() == 1); wg.done(); });
    parked(partners.back(), "chan receive");
    received.send(1);
    partners.push_back(next_id());
    goc::go([&] { sent.send(2); wg.done(); });
    parked(partners.back(), "chan send");
    CHECK(sent.recv() == 2);
    partners.push_back(next_id());
    goc::go([&] { goc::select(goc::recv_case(select_received)); wg.done(); });
    parked(partners.back(), "select");
    select_received.send(3);
    wg.wait();
    REQUIRE(wait_for_live_count(1));  // their last events are in before the trace stops
  });
  for (std::uint64_t g : partners) {
    INFO("goroutine " << g);
    std::vector<double> event_times, blocked_ends;
    for (const json& e : events_where(trace, "i", "chan"))
      if (e["tid"] == g) event_times.push_back(e["ts"]);
    for (const json& e : trace["traceEvents"])
      if (e.value("ph", "") == "X" && e["tid"] == g &&
          e["name"].get<std::string>().rfind("blocked: ", 0) == 0)
        blocked_ends.push_back(e["ts"].get<double>() + e["dur"].get<double>());
    REQUIRE(event_times.size() == 1);
    REQUIRE(blocked_ends.size() == 1);
    // Both are the waker's one reading (printed to the nanosecond).
    CHECK(std::abs(blocked_ends[0] - event_times[0]) < 0.002);
  }
}

TEST_CASE("a Wait's blocked span ends at the Done that released it") {
  std::uint64_t waiter = 0;
  json trace = record("wait-until-done", [&] {
    goc::WaitGroup wg;
    wg.add(1);
    auto finished = goc::make_chan<goc::Empty>();
    waiter = next_id();
    goc::go([&wg, finished] {
      wg.wait();
      finished.send({});
    });
    REQUIRE(wait_for_state(waiter, "sync.WaitGroup.Wait"));
    wg.done();  // main's: the waiter's span ends at this event's time
    finished.recv();
  });
  auto dones = events_where(trace, "i", "sync", "WaitGroup.Done");
  REQUIRE(dones.size() == 1);
  CHECK(dones[0]["tid"].get<std::uint64_t>() != waiter);
  std::vector<double> blocked_ends;
  for (const json& e : events_where(trace, "X", "block"))
    if (e["tid"].get<std::uint64_t>() == waiter && e["args"]["reason"] == "WaitGroup.Wait")
      blocked_ends.push_back(e["ts"].get<double>() + e["dur"].get<double>());
  REQUIRE(blocked_ends.size() == 1);
  // Both are the Done's one reading (printed to the nanosecond).
  CHECK(std::abs(blocked_ends[0] - dones[0]["ts"].get<double>()) < 0.002);
}

TEST_CASE("GOC_TRACE naming a file that cannot be made ends the program with what to do") {
  auto r = run_scenario("deadlock-main-recv", "GOC_TRACE=/nonexistent-folder/t.json");
  INFO(r.output);
  CHECK(r.exit_status == 2);
  CHECK(contains(r.output, "GOC_TRACE=/nonexistent-folder/t.json: cannot create the file"));
  CHECK(contains(r.output, "unset GOC_TRACE"));
}

#ifdef GOC_TSAN_BUILD
TEST_CASE("with tracing on, ThreadSanitizer still reports a race that only a channel's lock hides") {
  ChildResult r;
  json trace = child_trace("race-hidden-only-by-channel-lock", "", &r);
  CHECK(contains(r.output, "WARNING: ThreadSanitizer: data race"));
}
#endif

// Times read without a fence (trace_now_unfenced) must still be in order
// where the file promises an order: each arrow forward, each Mutex held by
// one goroutine at a time.

TEST_CASE("on a busy buffered channel every arrow still points forward in time") {
  constexpr int kValues = 1000;
  json trace = record("busy-arrows", [] {
    auto ch = goc::make_chan<int>(8);
    auto done = goc::make_chan<goc::Empty>();
    goc::go([=] {
      for ([[maybe_unused]] int v : ch) {
      }
      done.close();
    });
    for (int i = 0; i < kValues; ++i) ch.send(i);
    ch.close();
    done.recv();
    REQUIRE(wait_for_live_count(1));
  });
  std::map<std::string, double> sent_at, received_at;
  for (const json& e : events_where(trace, "s", "handoff")) sent_at[e["id"]] = e["ts"];
  for (const json& e : events_where(trace, "f", "handoff")) received_at[e["id"]] = e["ts"];
  REQUIRE(sent_at.size() == kValues);
  REQUIRE(received_at.size() == kValues);
  int backwards = 0;
  for (const auto& [id, at] : sent_at)
    if (received_at.count(id) != 1 || received_at[id] < at) ++backwards;
  CHECK(backwards == 0);
}

TEST_CASE("sends in a burst keep their order in time, each inside its sender's span") {
  // Enough values to fill several of a thread's chunks with hot records,
  // most of them placed between two readings rather than read.
  constexpr int kValues = 6000;  // two or three chunks of the sender's
  std::uint64_t sender = 0;
  json trace = record("burst-placed", [&] {
    auto ch = goc::make_chan<int>(64);
    auto done = goc::make_chan<goc::Empty>();
    goc::go([=] {
      for ([[maybe_unused]] int v : ch) {
      }
      done.close();
    });
    sender = goc::detail::current_g()->id;
    for (int i = 0; i < kValues; ++i) ch.send(i);
    ch.close();
    done.recv();
    REQUIRE(wait_for_live_count(1));
  });
  // The sender's spans where a send can be: running, or blocked on the send
  // that a receiver then completed (and recorded, at the time of the move).
  std::vector<std::pair<double, double>> spans;
  for (const json& e : trace["traceEvents"])
    if (e.value("ph", "") == "X" && e["tid"].get<std::uint64_t>() == sender &&
        (e["cat"] == "run" || e["args"].value("reason", "") == "chan send"))
      spans.emplace_back(e["ts"].get<double>(), e["ts"].get<double>() + e["dur"].get<double>());
  std::sort(spans.begin(), spans.end());  // in time, none overlapping: one track's
  std::vector<double> sent_at(kValues, -1), received_at(kValues, -1);
  for (const json& e : events_where(trace, "i", "chan")) {
    const json& a = e["args"];
    if (!a.contains("value")) continue;
    int v = std::stoi(a["value"].get<std::string>());
    REQUIRE((v >= 0 && v < kValues));
    (e["name"] == "send" ? sent_at : received_at)[v] = e["ts"].get<double>();
  }
  int missing = 0, out_of_order = 0, outside_spans = 0;
  constexpr double kRounding = 0.05;  // microseconds: the file's ns and unfenced readings
  for (int v = 0; v < kValues; ++v) {
    if (sent_at[v] < 0 || received_at[v] < 0) ++missing;
    if (v > 0 && (sent_at[v] < sent_at[v - 1] || received_at[v] < received_at[v - 1])) ++out_of_order;
    // The last span beginning at or before the send (give or take the rounding).
    auto after = std::upper_bound(spans.begin(), spans.end(),
                                  std::make_pair(sent_at[v] + kRounding, 1e300));
    if (after == spans.begin() || std::prev(after)->second + kRounding < sent_at[v]) ++outside_spans;
  }
  CHECK(missing == 0);
  CHECK(out_of_order == 0);
  CHECK(outside_spans == 0);
}

TEST_CASE("goroutines that follow each other on a thread each record their sends on their own track") {
  // A hot record takes its goroutine from its buffer's binding: a goroutine
  // that ends must leave nothing bound for the next one on the same thread
  // or fiber to inherit.
  static constexpr int kGoroutines = 40, kSends = 20;
  std::vector<std::uint64_t> ids(kGoroutines);
  json trace = record("one-after-another", [&] {
    auto ch = goc::make_chan<int>(kGoroutines * kSends);
    for (int k = 0; k < kGoroutines; ++k) {
      auto done = goc::make_chan<goc::Empty>();
      goc::go([&ids, ch, done, k] {
        ids[k] = goc::detail::current_g()->id;
        for (int i = 0; i < kSends; ++i) ch.send(k);
        done.close();
      });
      done.recv();
      REQUIRE(wait_for_live_count(1));  // ended, so the next may reuse what it ran on
    }
  });
  std::map<int, int> sends_of;
  int misplaced = 0;
  for (const json& e : events_where(trace, "i", "chan", "send")) {
    if (!e["args"].contains("value")) continue;  // the done channels' closes are not sends
    int k = std::stoi(e["args"]["value"].get<std::string>());
    ++sends_of[k];
    if (e["tid"].get<std::uint64_t>() != ids[k]) ++misplaced;
  }
  CHECK(sends_of.size() == static_cast<std::size_t>(kGoroutines));
  for (const auto& [k, n] : sends_of) CHECK(n == kSends);
  CHECK(misplaced == 0);
}

TEST_CASE("a channel and a Mutex numbered past 65535 are still recorded whole") {
  // Hot records keep 16 bits of an object's number: past that, the long way.
  // Numbers count on across recordings: a first one, not read, uses up 65536
  // numbers of each kind.
  std::string used_up = temp_trace_path("numbers-used-up");
  REQUIRE(goc::detail::trace_start(used_up));
  for (int i = 0; i < 65536; ++i) {
    auto numbered = goc::make_chan<int>(1);  // numbered as made, while recording
    goc::Mutex mu;
    mu.lock();  // numbered at its first traced use
    mu.unlock();
  }
  REQUIRE(goc::detail::trace_stop());
  std::remove(used_up.c_str());
  json trace = record("many-objects", [] {
    auto ch = goc::make_chan<int>(1);
    ch.send(41);
    CHECK(ch.recv() == 41);
    goc::Mutex last;
    last.lock();
    last.unlock();
  });
  // The objects numbered last (numbers count on across recordings).
  auto number = [](const json& name, std::size_t prefix) {
    return std::stoul(name.get<std::string>().substr(prefix));
  };
  unsigned long last_chan = 0, last_mutex = 0;
  for (const json& e : events_where(trace, "i", "chan"))
    last_chan = std::max(last_chan, number(e["args"]["chan"], 1));
  for (const json& e : events_where(trace, "i", "sync"))
    last_mutex = std::max(last_mutex, number(e["args"]["object"], 2));
  CHECK(last_chan > 65535);
  CHECK(last_mutex > 65535);
  int sends = 0, receives = 0, last_mutex_events = 0;
  for (const json& e : events_where(trace, "i", "chan")) {
    const json& a = e["args"];
    if (number(a["chan"], 1) != last_chan) continue;
    CHECK(a["value"] == "41");
    (e["name"] == "send" ? sends : receives) += 1;
  }
  CHECK(sends == 1);
  CHECK(receives == 1);
  for (const json& e : events_where(trace, "i", "sync"))
    if (number(e["args"]["object"], 2) == last_mutex) ++last_mutex_events;
  CHECK(last_mutex_events == 2);  // its Lock and its Unlock
}

TEST_CASE("a Mutex's Lock is never before the Unlock that let it in, however contended") {
  constexpr int kGoroutines = 4, kRounds = 400;
  json trace = record("mutex-order", [] {
    goc::Mutex mu;
    long counter = 0;
    goc::WaitGroup wg;
    wg.add(kGoroutines);
    for (int g = 0; g < kGoroutines; ++g)
      goc::go([&] {
        for (int i = 0; i < kRounds; ++i) {
          mu.lock();
          ++counter;
          mu.unlock();
        }
        wg.done();
      });
    wg.wait();
    REQUIRE(counter == kGoroutines * kRounds);
    REQUIRE(wait_for_live_count(1));
  });
  // Sweep the mutex's events in time order (at one instant, in the mutex's
  // own order, "seq"): it is never held twice, nor released unheld.
  struct Change {
    double at;
    long seq;
    int held;  // +1 Lock, -1 Unlock
  };
  std::vector<Change> changes;
  for (const json& e : events_where(trace, "i", "sync")) {
    int held = e["name"] == "Mutex.Lock" ? +1 : e["name"] == "Mutex.Unlock" ? -1 : 0;
    if (held) changes.push_back({e["ts"].get<double>(), e["args"]["seq"].get<long>(), held});
  }
  REQUIRE(changes.size() == 2 * kGoroutines * kRounds);
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  });
  int held = 0, overlaps = 0;
  for (const Change& c : changes) {
    held += c.held;
    if (held < 0 || held > 1) ++overlaps;
  }
  CHECK(overlaps == 0);
  // And in time order the numbers only grow: the time order is the mutex's.
  CHECK(std::is_sorted(changes.begin(), changes.end(),
                       [](const Change& a, const Change& b) { return a.seq < b.seq; }));
}

TEST_CASE("a goroutine still waiting for a Mutex when recording stops shows its wait, not a Lock") {
  goc::Mutex mu;
  auto got = goc::make_chan<goc::Empty>(1);
  std::uint64_t waiter = 0;
  json trace = record("lock-waiting", [&] {
    mu.lock();
    waiter = next_id();
    goc::go([&mu, got] {
      mu.lock();
      mu.unlock();
      got.send({});  // last: once main has it, mu goes out of scope
    });
    REQUIRE(wait_for_state(waiter, "sync.Mutex.Lock"));
  });
  mu.unlock();  // after the stop: the waiter takes the lock unrecorded
  got.recv();
  auto locks = events_where(trace, "i", "sync", "Mutex.Lock");
  REQUIRE(locks.size() == 1);  // main's, which holds the lock
  CHECK(locks[0]["tid"].get<std::uint64_t>() != waiter);
  int waits = 0;
  for (const json& e : events_where(trace, "X", "block"))
    if (e["tid"].get<std::uint64_t>() == waiter && e["args"]["reason"] == "Mutex.Lock") ++waits;
  CHECK(waits == 1);
}

TEST_CASE("a traced Unlock hands the Mutex to the goroutine queued on it, whose Lock comes after") {
  goc::Mutex mu;
  std::uint64_t waiter = 0;
  json trace = record("lock-handed-on", [&] {
    auto got = goc::make_chan<goc::Empty>();
    mu.lock();
    waiter = next_id();
    goc::go([&mu, got] {
      mu.lock();
      mu.unlock();
      got.send({});
    });
    REQUIRE(wait_for_state(waiter, "sync.Mutex.Lock"));  // queued: the unlock must wake it
    mu.unlock();
    got.recv();
  });
  auto locks = events_where(trace, "i", "sync", "Mutex.Lock");
  auto unlocks = events_where(trace, "i", "sync", "Mutex.Unlock");
  REQUIRE(locks.size() == 2);
  REQUIRE(unlocks.size() == 2);
  const json* mains_unlock = nullptr;
  const json* waiters_lock = nullptr;
  for (const json& u : unlocks)
    if (u["tid"].get<std::uint64_t>() != waiter) mains_unlock = &u;
  for (const json& l : locks)
    if (l["tid"].get<std::uint64_t>() == waiter) waiters_lock = &l;
  REQUIRE(mains_unlock);
  REQUIRE(waiters_lock);
  CHECK((*waiters_lock)["args"]["seq"].get<long>() > (*mains_unlock)["args"]["seq"].get<long>());
  CHECK((*waiters_lock)["ts"].get<double>() >= (*mains_unlock)["ts"].get<double>());
}

TEST_CASE("a Mutex hold that began before recording records neither its Lock nor its Unlock") {
  goc::Mutex mu;
  mu.lock();  // untraced
  json trace = record("hold-before", [&] {
    mu.unlock();
    mu.lock();  // traced, and released after the stop
  });
  CHECK(events_where(trace, "i", "sync", "Mutex.Unlock").empty());
  CHECK(events_where(trace, "i", "sync", "Mutex.Lock").size() == 1);
  mu.unlock();  // the traced hold's unlock, with recording off: still a plain unlock
  CHECK(mu.try_lock());
  mu.unlock();
}

TEST_CASE("stopping a trace while goroutines are recording writes a whole file") {
  // Each goroutine stops at `stop` or after kMost rounds (a bounded file).
  constexpr int kMost = 1500;
  std::atomic<bool> stop{false};
  auto ch = goc::make_chan<int>(4);
  auto receiving = goc::make_chan<goc::Empty>();  // closed once 100 values went through
  auto locking = goc::make_chan<goc::Empty>();    // closed after 100 rounds of the mutex
  goc::Mutex mu;
  goc::WaitGroup wg;
  std::string path = temp_trace_path("stop-while-busy");
  REQUIRE(goc::detail::trace_start(path));
  wg.add(3);
  goc::go([&] {
    for (int i = 0; !stop.load() && i < kMost; ++i) ch.send(i);
    ch.close();
    wg.done();
  });
  goc::go([&] {
    int n = 0;
    for ([[maybe_unused]] int v : ch)
      if (++n == 100) receiving.close();
    wg.done();
  });
  goc::go([&] {
    for (int n = 1; !stop.load() && n <= kMost; ++n) {
      mu.lock();
      mu.unlock();
      if (n == 100) locking.close();
    }
    wg.done();
  });
  receiving.recv();
  locking.recv();
  REQUIRE(goc::detail::trace_stop());  // the three are likely still recording
  stop.store(true);
  wg.wait();
  json trace = read_trace(path);  // parses: no event cut in half
  CHECK(events_where(trace, "i", "chan", "send").size() >= 100);
  CHECK(events_where(trace, "i", "sync", "Mutex.Lock").size() >= 100);
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "M") continue;
    CHECK(e.contains("ts"));
    CHECK(e.contains("tid"));
  }
}
