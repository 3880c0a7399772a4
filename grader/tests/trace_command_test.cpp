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

// ---------------------------------------------------------------------------
// The instructor's trace of a graded submission (`trace --submission`).

#include "reports.hpp"
#include "trace.hpp"

namespace {

// The command line `command` (starting with ./course) as the grader parses
// it, its words split as a shell splits them.
StudentCommand parsed_command(const std::string& command) {
  std::vector<std::string> words = shell_split(command);
  REQUIRE(words.size() > 1);
  REQUIRE(words.front() == "./course");
  words.front() = "goc-grader";
  std::vector<const char*> argv;
  for (auto& w : words) argv.push_back(w.c_str());
  StudentCommand c;
  auto app = course_app(c);
  app->parse(static_cast<int>(argv.size()), argv.data());
  REQUIRE(*c.trace);
  return c;
}

GradeItem failed_item(const std::string& name, ItemKind kind, const std::string& schedule = "") {
  GradeItem i;
  i.name = name;
  i.kind = kind;
  i.max_score = 1;
  i.output = "REQUIRE( sum == 15 ) with expansion: 0 == 15";
  i.schedule = schedule;
  return i;
}

}  // namespace

TEST_CASE("the trace command of the instructor's report parses back to the same exercise, submission, list and seed") {
  std::string odd = "/tmp/subs/ann o'neil \"2\" \\ x.zip";
  std::string command = submission_trace_command("01-basics/01-sum", odd, "hidden", "random:7");
  StudentCommand c = parsed_command(command);
  CHECK(c.trace_name == "01-basics/01-sum");
  CHECK(c.trace_submission.submission == fs::path(odd));
  CHECK(c.trace_submission.list == "hidden");
  CHECK(c.trace_submission.tests.empty());
  CHECK(c.options.schedule == "random:7");

  StudentCommand pct = parsed_command(submission_trace_command("01-basics/01-sum", "/s", "public", "pct:2:3"));
  CHECK(pct.trace_submission.list == "public");
  CHECK(pct.options.schedule == "pct:2:3");
  StudentCommand none = parsed_command(submission_trace_command("01-basics/01-sum", "/s", "hidden", ""));
  CHECK(none.options.schedule.empty());
  // Each --test takes one name, so the words may come in any order.
  StudentCommand reordered = parsed_command("./course trace --test 'a b' --test c 1/1 --submission s.zip");
  CHECK(reordered.trace_name == "1/1");
  CHECK(reordered.trace_submission.tests == std::vector<std::string>{"a b", "c"});
  // A relative submission is named from where the grader ran (the course root).
  CHECK(contains(submission_trace_command("x/y", "subs/bob", "", ""), fs::current_path().string() + "/subs/bob"));
}

TEST_CASE("the instructor's report traces the run of an exercise's failing hidden test first; the student's report never shows it") {
  Exercise sum, broken;
  sum.id = "01-basics/01-sum";
  broken.id = "01-basics/02-counter";
  SubmissionResult s;
  s.name = "alice";
  s.source = "/subs/alice";
  ExerciseResult failed;
  failed.exercise = &sum;
  failed.status = "failed";
  failed.items = {failed_item("public one", ItemKind::public_test),
                  failed_item("secret hidden case", ItemKind::hidden_test)};
  ExerciseResult not_compiled;
  not_compiled.exercise = &broken;
  not_compiled.status = "compile error";
  not_compiled.items = {failed_item("counts", ItemKind::public_test)};
  s.exercises = {failed, not_compiled};

  std::string instructor = report_markdown(s, Audience::instructor);
  CHECK(contains(instructor, "- Trace: `./course trace 01-basics/01-sum --submission /subs/alice --list hidden` "
                             "draws what each goroutine did in the run of the hidden tests, where \"secret hidden "
                             "case\" failed.\n"));
  CHECK_FALSE(contains(instructor, "--seed"));  // it failed without a schedule
  CHECK_FALSE(contains(instructor, "./course trace 01-basics/02-counter"));  // nothing ran: nothing to trace
  for (bool show_names : {true, false}) {
    s.show_hidden_names = show_names;
    std::string student = report_markdown(s, Audience::student) + results_json(s) + junit_xml(s);
    CHECK_FALSE(contains(student, "./course trace"));
    CHECK_FALSE(contains(student, "--submission"));
  }

  // With only a public test failing, that one is traced.
  s.exercises[0].items[1].passed = true;
  std::string public_only = report_markdown(s, Audience::instructor);
  CHECK(contains(public_only, "--list public` draws what each goroutine did in the run of the public tests, where "
                              "\"public one\" failed."));
}

TEST_CASE("a trace of a graded submission runs every test, one list or the named tests, and refuses others") {
  TestPlan plan;
  plan.public_names = {"p1", "p2"};
  plan.hidden_names = {"h1"};
  plan.has_hidden = plan.one_program = true;
  CHECK(tests_to_trace(plan, {}, "", "01-a/01-b") == std::vector<std::string>{"p1", "p2", "h1"});
  CHECK(tests_to_trace(plan, {"h1", "p2"}, "", "01-a/01-b") == std::vector<std::string>{"h1", "p2"});
  std::string unknown = trace_error_of([&] { tests_to_trace(plan, {"h2"}, "", "01-a/01-b"); });
  CHECK(contains(unknown, "01-a/01-b has no test named \"h2\""));
  CHECK(contains(unknown, "\n  \"h1\""));  // the names it has, to copy
  CHECK(tests_to_trace(plan, {}, "hidden", "01-a/01-b") == std::vector<std::string>{"h1"});
  CHECK(tests_to_trace(plan, {}, "public", "01-a/01-b") == std::vector<std::string>{"p1", "p2"});

  // Public and hidden tests in two programs: one run holds tests of one of them.
  plan.one_program = false;
  CHECK(contains(trace_error_of([&] { tests_to_trace(plan, {}, "", "01-a/01-b"); }), "--list hidden"));
  CHECK(tests_to_trace(plan, {}, "hidden", "01-a/01-b") == std::vector<std::string>{"h1"});
  CHECK(contains(trace_error_of([&] { tests_to_trace(plan, {"p1", "h1"}, "", "01-a/01-b"); }), "two programs"));
  VariantPrograms programs;
  programs.public_program.binary = "public";
  programs.hidden_program.binary = "hidden";
  CHECK(program_running(plan, programs, tests_to_trace(plan, {"h1"}, "", "01-a/01-b")).binary == "hidden");
  CHECK(program_running(plan, programs, {"p2"}).binary == "public");
}

TEST_CASE("trace --test without --submission is refused, saying to give the submission") {
  StudentCommand c = parsed_command("./course trace 01-goroutines/01-wait-dont-sleep --test 'x'");
  std::string error = trace_error_of([&] { run_student_command(kCourse, c); });
  CHECK(contains(error, "give the submission with --submission PATH"));
}
