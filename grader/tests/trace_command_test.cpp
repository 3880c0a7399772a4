// Unit tests of `./course trace`'s parts: what a name picks, the command a
// failing check prints, the command line, and where the files are said to be.
#include <functional>

#include "cli.hpp"
#include "goc/testing/catch.hpp"
#include "manifest.hpp"
#include "trace_command.hpp"

using namespace grader;

namespace {

const fs::path kCourse = GOC_SOURCE_ROOT;

std::string trace_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("trace takes an exercise as check names it, and a lesson example as run names it") {
  Manifest m = load_manifest(kCourse / "exercises" / "manifest.toml");
  std::vector<std::string> examples = lesson_examples(kCourse);
  for (auto name : {"01-goroutines/01-wait-dont-sleep", "wait-dont-sleep", "exercises/01-goroutines/01-wait-dont-sleep/",
                    "ex_01_01", "1/1"}) {
    INFO(name);
    TraceTarget t = resolve_trace_target(m, examples, name);
    CHECK(t.kind == TraceTarget::Kind::exercise);
    CHECK(t.id == "01-goroutines/01-wait-dont-sleep");
    CHECK(t.target == m.find(t.id)->key + "_student_public");
  }
  for (auto name : {"02-channels/01-unbuffered-rendezvous", "unbuffered-rendezvous",
                    "lessons/02-channels/examples/01-unbuffered-rendezvous.cpp"}) {
    INFO(name);
    TraceTarget t = resolve_trace_target(m, examples, name);
    CHECK(t.kind == TraceTarget::Kind::example);
    CHECK(t.id == "02-channels/01-unbuffered-rendezvous");
    CHECK(t.target == "lesson02_01_unbuffered_rendezvous");
  }
}

TEST_CASE("trace refuses a name of several exercises or of nothing, saying what to type") {
  Manifest m = load_manifest(kCourse / "exercises" / "manifest.toml");
  std::vector<std::string> examples = lesson_examples(kCourse);
  std::string lesson = trace_error_of([&] { resolve_trace_target(m, examples, "01-goroutines"); });
  CHECK(contains(lesson, "trace one of them, for example `./course trace 01-goroutines/01-wait-dont-sleep`"));
  std::string typo = trace_error_of([&] { resolve_trace_target(m, examples, "go-statment"); });
  CHECK(contains(typo, "neither an exercise nor a lesson example"));
  CHECK(contains(typo, "Did you mean 01-goroutines/01-go-statement?"));
}

TEST_CASE("a failing check names the trace command that draws the same run") {
  Exercise e;
  e.id = "05-worker-pool/02-pool";
  CHECK(contains(trace_command_text(e, "random:7"), "`./course trace 05-worker-pool/02-pool --seed 7`"));
  CHECK(contains(trace_command_text(e, "pct:3:2"), "`./course trace 05-worker-pool/02-pool --schedule pct:3:2`"));
  std::string unscheduled = trace_command_text(e, "");
  CHECK(contains(unscheduled, "`./course trace 05-worker-pool/02-pool`"));
  CHECK(contains(unscheduled, "--seed N"));  // a run of its own may not fail the same way
}

TEST_CASE("trace on the command line takes a name, a seed or a schedule, and an output folder") {
  StudentCommand c;
  auto app = course_app(c);
  const char* argv[] = {"goc-grader", "trace", "pool", "--seed", "9", "--out", "/tmp/t"};
  app->parse(7, argv);
  REQUIRE(*c.trace);
  CHECK(c.trace_name == "pool");
  CHECK(c.options.schedule == "random:9");
  CHECK(c.trace_out == fs::path("/tmp/t"));

  StudentCommand d;
  auto app2 = course_app(d);
  const char* argv2[] = {"goc-grader", "trace", "pool", "--schedule", "pct:1:3"};
  app2->parse(5, argv2);
  CHECK(d.options.schedule == "pct:1:3");
}

TEST_CASE("a written trace says where both files are and how to open each") {
  std::string text = trace_written_text("/c/build/traces/x/trace.json", "/c/build/traces/x/trace.html",
                                        "Traced x: the tests passed; 3 goroutines, 2 arrows.");
  CHECK(contains(text, "Traced x: the tests passed"));
  CHECK(contains(text, "file:///c/build/traces/x/trace.html"));
  CHECK(contains(text, "/c/build/traces/x/trace.json"));
  CHECK(contains(text, "ui.perfetto.dev"));
}
