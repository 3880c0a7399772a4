// Unit tests of the seeded schedules in check and grading: the fixed set,
// the manifest's and the command line's number, and a test program that
// fails only under one schedule (a shell script standing in for a Catch2
// program, so that no course is built).
#include <fstream>

#include "cli.hpp"
#include "exercise.hpp"
#include "goc/testing/catch.hpp"
#include "manifest.hpp"
#include "reports.hpp"
#include "schedules.hpp"
#include "student.hpp"
#include "test_support.hpp"

using namespace grader;

namespace {


using grader::testing::fresh_dir;

// A complete Catch2 XML report; the test case `failing` (if any) fails a REQUIRE.
std::string catch_report(const std::vector<std::string>& names, const std::string& failing) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch name=\"t\">\n  <Group name=\"t\">\n";
  for (auto& name : names) {
    xml += "    <TestCase name=\"" + name + "\" filename=\"/x/test.cpp\" line=\"3\">\n";
    if (name == failing)
      xml += "      <Expression success=\"false\" type=\"REQUIRE\" filename=\"/x/test.cpp\" line=\"7\">\n"
             "        <Original>order == expected</Original>\n        <Expanded>21 == 12</Expanded>\n"
             "      </Expression>\n";
    xml += std::string("      <OverallResult success=\"") + (name == failing ? "false" : "true") + "\"/>\n";
    xml += "    </TestCase>\n";
  }
  xml += "    <OverallResults successes=\"0\" failures=\"0\"/>\n  </Group>\n"
         "  <OverallResults successes=\"0\" failures=\"0\"/>\n</Catch>\n";
  return xml;
}

// A stand-in test program in `dir`: it appends its GOC_SCHEDULE to <name>.log
// and reports every test case passed, except `failing` under `bad_schedule`.
fs::path fake_test_program(const fs::path& dir, const std::string& name, const std::vector<std::string>& names,
                           const std::string& failing, const std::string& bad_schedule) {
  write_file(dir / (name + ".pass.xml"), catch_report(names, ""));
  write_file(dir / (name + ".fail.xml"), catch_report(names, failing));
  fs::path program = dir / name;
  std::string d = dir.string() + "/" + name;
  write_file(program, "#!/bin/sh\necho \"[$GOC_SCHEDULE]\" >> '" + d + ".log'\n" +
                          "if [ \"$GOC_SCHEDULE\" = '" + bad_schedule + "' ]; then cat '" + d +
                          ".fail.xml' >&3; exit 1; fi\ncat '" + d + ".pass.xml' >&3\n");
  fs::permissions(program, fs::perms::owner_all);
  return program;
}

// The schedules a stand-in program ran under, in order ("" for none).
std::vector<std::string> runs_of(const fs::path& program) {
  std::vector<std::string> out;
  std::ifstream in(program.string() + ".log");
  for (std::string line; std::getline(in, line);) out.push_back(line.substr(1, line.size() - 2));
  return out;
}

Manifest manifest_with(const fs::path& d, const std::string& course, const std::string& exercise_extra) {
  write_file(d / "manifest.toml", "[course]\ntitle = \"T\"\n" + course +
                                      "\n[[exercise]]\nid = \"01-a/01-b\"\nstudent_files = [\"b.cpp\"]\n"
                                      "points = { public = 1, hidden = 1, race = 1 }\n" + exercise_extra +
                                      "\n[[exercise]]\nid = \"01-a/02-c\"\nstudent_files = [\"c.cpp\"]\n"
                                      "points = { public = 1, hidden = 1, race = 1 }\n");
  return load_manifest(d / "manifest.toml");
}

}  // namespace

TEST_CASE("schedule i of N alternates random:K and pct:K:DEPTH as the helpers agreed") {
  CHECK(fixed_schedules(4) == std::vector<std::string>{"random:1", "pct:1:2", "random:2", "pct:2:3"});
  CHECK(fixed_schedules(6) ==
        std::vector<std::string>{"random:1", "pct:1:2", "random:2", "pct:2:3", "random:3", "pct:3:2"});
  CHECK(fixed_schedules(1) == std::vector<std::string>{"random:1"});
  CHECK(fixed_schedules(0).empty());
  CHECK(replay_option("random:3") == "--seed 3");
  CHECK(replay_option("pct:2:3") == "--schedule pct:2:3");
}

TEST_CASE("the number of schedules comes from the command line, else the exercise, else the course") {
  fs::path d = fresh_dir("schedules-manifest");
  Manifest m = manifest_with(d, "schedules = 4", "schedules = 1");
  const Exercise& own = m.exercises[0];
  const Exercise& course_default = m.exercises[1];
  CHECK(m.schedules_for(own) == 1);
  CHECK(m.schedules_for(course_default) == 4);
  CHECK(m.schedules_for(own, 0) == 0);
  CHECK(m.schedules_for(course_default, 6) == 6);
  CHECK(manifest_with(d, "", "").schedules_for(course_default) == 0);  // no key: none
}

TEST_CASE("a schedules value that is not a whole number from 0 to the maximum is refused") {
  fs::path d = fresh_dir("schedules-manifest-bad");
  CHECK_THROWS_WITH(manifest_with(d, "schedules = -1", ""),
                    Catch::Contains("[course]: schedules must be a whole number from 0"));
  CHECK_THROWS_WITH(manifest_with(d, "schedules = \"4\"", ""), Catch::Contains("[course]: schedules must be"));
  CHECK_THROWS_WITH(manifest_with(d, "", "schedules = 1000"),
                    Catch::Contains("(01-a/01-b): schedules must be a whole number"));
  CHECK_THROWS_WITH(manifest_with(d, "", "schedules = 1.5"), Catch::Contains("schedules must be"));
}

TEST_CASE("check --schedules N overrides the manifest's number, and a negative N is refused") {
  {
    StudentCommand c;
    auto app = course_app(c);
    const char* argv[] = {"goc-grader", "check", "01-01", "--schedules", "0"};
    app->parse(5, argv);
    CHECK(c.options.schedules == 0);
  }
  {
    StudentCommand c;
    auto app = course_app(c);
    const char* argv[] = {"goc-grader", "check"};
    app->parse(2, argv);
    CHECK_FALSE(c.options.schedules.has_value());
  }
  StudentCommand c;
  auto app = course_app(c);
  const char* argv[] = {"goc-grader", "check", "--schedules", "-1"};
  CHECK_THROWS_AS(app->parse(4, argv), CLI::ValidationError);
}

TEST_CASE("check stops at the first schedule that fails and names the command that replays it") {
  fs::path d = fresh_dir("schedules-check");
  std::vector<std::string> names = {"first", "second"};
  fs::path program = fake_test_program(d, "public", names, "second", "pct:1:2");
  StudentOptions o;
  o.course_root = d;
  o.timeout = 20;
  Exercise e;
  e.id = "01-a/01-b";
  ScheduleCheck sc = check_schedules(o, e, program, names, d, 4);
  CHECK(runs_of(program) == std::vector<std::string>{"random:1", "pct:1:2"});
  CHECK(sc.ran == 2);
  CHECK(sc.passed == 1);
  CHECK_FALSE(sc.host_error);
  CHECK(contains(sc.text, "under the seeded schedule GOC_SCHEDULE=pct:1:2 (schedule 2 of 4)"));
  CHECK(contains(sc.text, "Test \"second\" failed"));
  CHECK(contains(sc.text, "`./course check 01-a/01-b --schedule pct:1:2`"));
  CHECK(schedules_cell(sc.planned, sc.ran, sc.passed) == "1/4");
}

TEST_CASE("check with no schedules runs the program under none") {
  fs::path d = fresh_dir("schedules-check-none");
  fs::path program = fake_test_program(d, "public", {"first"}, "first", "random:1");
  StudentOptions o;
  o.course_root = d;
  Exercise e;
  e.id = "01-a/01-b";
  ScheduleCheck sc = check_schedules(o, e, program, {"first"}, d, 0);
  CHECK(runs_of(program).empty());
  CHECK(sc.ran == 0);
  CHECK(schedules_cell(sc.planned, sc.ran, sc.passed) == "-");
}

namespace {

// One exercise graded from stand-in programs: public tests "first" and
// "second", hidden test "h1".
struct FakeGrading {
  fs::path dir;
  GradeOptions options;
  Exercise e;
  TestPlan plan;
  fs::path overlay;
  Sandbox sandbox;  // off: the stand-ins are shell scripts of this test
  SubmissionBuilder builder;
  ExerciseGrading grading;
  VariantPrograms programs;

  explicit FakeGrading(const std::string& name)
      : dir(fresh_dir(name)),
        e(exercise()),
        plan(test_plan()),
        overlay(dir / "overlay"),
        builder(dir / "build", overlay, sandbox, 10),
        grading(options, e, plan, overlay, sandbox, dir, builder) {
    options.timeout_plain = 20;
  }
  static Exercise exercise() {
    Exercise e;
    e.id = "01-a/01-b";
    e.points = Points{2, 2, 1};
    return e;
  }
  static TestPlan test_plan() {
    TestPlan p;
    p.public_names = {"first", "second"};
    p.hidden_names = {"h1"};
    p.has_hidden = true;
    return p;
  }
  void programs_failing(const std::string& public_schedule, const std::string& hidden_schedule) {
    programs.public_program.ok = programs.hidden_program.ok = true;
    programs.public_program.binary = fake_test_program(dir, "public", plan.public_names, "second", public_schedule);
    programs.hidden_program.binary = fake_test_program(dir, "hidden", plan.hidden_names, "h1", hidden_schedule);
  }
};

}  // namespace

TEST_CASE("grading fails a test case that passes plain but fails under one schedule, and says how to replay it") {
  FakeGrading g("schedules-grade");
  g.programs_failing("pct:1:2", "random:2");
  VariantRuns plain = g.grading.run(g.programs, Variant::plain, 2, 2);
  REQUIRE(plain.all_passed());
  ExerciseResult r;
  g.grading.run_schedules(r, g.programs, plain, 4);
  CHECK(runs_of(g.programs.public_program.binary) ==
        std::vector<std::string>{"", "random:1", "pct:1:2", "random:2", "pct:2:3"});
  const Evaluation& pub = plain.public_tests.evaluation;
  CHECK(pub.items[0].passed);
  CHECK_FALSE(pub.items[1].passed);
  CHECK(pub.items[1].score == 0);
  CHECK(pub.passed == 1);
  CHECK(contains(pub.items[1].output, "failed under the seeded schedule GOC_SCHEDULE=pct:1:2"));
  CHECK(contains(pub.items[1].output,
                 "GOC_SCHEDULE=pct:1:2 (`./course check 01-a/01-b --schedule pct:1:2` replays the public tests there)"));
  CHECK(contains(pub.first_problem, "\"second\" under GOC_SCHEDULE=pct:1:2"));
  const Evaluation& hid = plain.hidden_tests.evaluation;
  CHECK_FALSE(hid.items[0].passed);
  CHECK(contains(hid.items[0].output, "GOC_SCHEDULE=random:2"));
  REQUIRE(r.notes.size() == 1);
  CHECK(contains(r.notes[0], "2 of 4 passed"));
  CHECK(contains(r.notes[0], "tests failed under GOC_SCHEDULE=pct:1:2, random:2"));
  CHECK(contains(r.notes[0], "`./course check 01-a/01-b --schedule pct:1:2` replays the first"));
  CHECK_FALSE(contains(r.notes[0], "h1"));  // the note is the student's to see: no hidden test named
  CHECK_FALSE(r.host_problem);
  // The verdict a student sees names the public failure and the schedule.
  g.grading.record_plain(r, plain);
  GradeItem race = race_item(g.e);
  g.grading.decide_status(r, plain, race);
  CHECK(r.status == "failed");
  CHECK(contains(r.summary, "GOC_SCHEDULE=pct:1:2"));
  CHECK(r.public_passed == 1);
  CHECK(r.hidden_passed == 0);
}

// The whole way from a schedule run to the report: the instructor's copy
// traces the failing test under the schedule it failed under.
TEST_CASE("the instructor's report traces a test that failed under a seeded schedule under that schedule") {
  FakeGrading g("schedules-trace-line");
  g.programs_failing("pct:1:2", "random:2");  // public "second" fails under pct:1:2, hidden "h1" under random:2
  VariantRuns plain = g.grading.run(g.programs, Variant::plain, 2, 2);
  REQUIRE(plain.all_passed());
  SubmissionResult s;
  s.name = "alice";
  s.source = "/subs/alice";
  ExerciseResult& r = s.exercises.emplace_back();
  r.exercise = &g.e;
  g.grading.run_schedules(r, g.programs, plain, 4);
  g.grading.record_plain(r, plain);
  g.grading.decide_status(r, plain, race_item(g.e));
  std::string instructor = report_markdown(s, Audience::instructor);
  CHECK(contains(instructor, "`./course trace 01-a/01-b --submission /subs/alice --list hidden --seed 2` draws "
                             "what each goroutine did in the run of the hidden tests under the seeded schedule "
                             "random:2, where \"h1\" failed."));
  std::string student = report_markdown(s, Audience::student) + results_json(s);
  CHECK_FALSE(contains(student, "./course trace"));

  // Only the public test failing: it is traced, under its own schedule.
  FakeGrading p("schedules-trace-line-public");
  p.programs_failing("pct:1:2", "none");
  VariantRuns public_only = p.grading.run(p.programs, Variant::plain, 2, 2);
  SubmissionResult t;
  t.source = "/subs/bob";
  ExerciseResult& q = t.exercises.emplace_back();
  q.exercise = &p.e;
  p.grading.run_schedules(q, p.programs, public_only, 4);
  p.grading.record_plain(q, public_only);
  p.grading.decide_status(q, public_only, race_item(p.e));
  CHECK(contains(report_markdown(t, Audience::instructor),
                 "`./course trace 01-a/01-b --submission /subs/bob --list public --schedule pct:1:2`"));
}

TEST_CASE("a test that failed without a schedule and under one keeps its first reason and notes the schedule") {
  Evaluation overall, scheduled;
  GradeItem failed;
  failed.name = "t";
  failed.output = "deadlock detected by the runtime";
  overall.items = {failed};
  overall.all_passed = false;
  scheduled.items = {failed};
  scheduled.items[0].output = "no result";
  CHECK(fold_schedule_run(overall, scheduled, "random:3", ""));
  CHECK(fold_schedule_run(overall, scheduled, "pct:3:2", ""));
  CHECK(overall.items[0].output == "deadlock detected by the runtime");
  CHECK(overall.items[0].schedule == "random:3");  // the first: what the instructor's trace replays
}

TEST_CASE("grading with no schedules runs the programs under none") {
  FakeGrading g("schedules-grade-none");
  g.programs_failing("random:1", "random:1");
  VariantRuns plain = g.grading.run(g.programs, Variant::plain, 2, 2);
  ExerciseResult r;
  g.grading.run_schedules(r, g.programs, plain, 0);
  CHECK(runs_of(g.programs.public_program.binary) == std::vector<std::string>{""});
  CHECK(plain.all_passed());
  CHECK(r.notes.empty());
}

TEST_CASE("a schedule run the runtime refused before any test is the host's problem, not the student's") {
  FakeGrading g("schedules-grade-host");
  g.programs_failing("none", "none");
  fs::path refusing = g.dir / "refusing";
  write_file(refusing, "#!/bin/sh\nif [ -n \"$GOC_SCHEDULE\" ]; then echo \"fatal error: GOC_SCHEDULE=$GOC_SCHEDULE: "
                       "expected random:SEED\" >&2; exit 2; fi\ncat '" +
                           (g.dir / "public.pass.xml").string() + "' >&3\n");
  fs::permissions(refusing, fs::perms::owner_all);
  g.programs.public_program.binary = refusing;
  VariantRuns plain = g.grading.run(g.programs, Variant::plain, 2, 2);
  REQUIRE(plain.all_passed());
  ExerciseResult r;
  g.grading.run_schedules(r, g.programs, plain, 4);
  CHECK(plain.all_passed());  // nothing counted against the student
  CHECK(r.host_problem);
  REQUIRE(r.notes.size() == 1);
  CHECK(contains(r.notes[0], "not the student's fault"));
  CHECK(contains(r.notes[0], "the runtime refused it: fatal error: GOC_SCHEDULE=random:1"));
}
