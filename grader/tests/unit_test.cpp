// Unit tests of the grader's parts: manifest, runner, archives, report parsing.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

#include <fstream>
#include <cctype>
#include <set>
#include <thread>

#include "archive.hpp"
#include "builder.hpp"
#include "compiler_choice.hpp"
#include "direct_link.hpp"
#include "catch_report.hpp"
#include "data_file.hpp"
#include "diagnose.hpp"
#include "grade.hpp"
#include "goc/testing/catch.hpp"
#include "manifest.hpp"
#include "isolation.hpp"
#include "leader.hpp"
#include "memory.hpp"
#include "process.hpp"
#include "uids.hpp"
#include "source_check.hpp"
#include "submission.hpp"
#include "symbol_check.hpp"
#include "test_support.hpp"
#include "testrun.hpp"

using namespace grader;

namespace {


using grader::testing::fresh_dir;

}  // namespace

TEST_CASE("a valid manifest loads in course order with keys and points") {
  fs::path d = fresh_dir("manifest-ok");
  write_file(d / "manifest.toml", R"([course]
title = "T"
[[exercise]]
id = "01-goroutines/02-race-counter"
title = "Race counter"
lesson = "01-goroutines"
student_files = ["counter.cpp"]
hints = ["a", "b"]
points = { public = 3, hidden = 4, race = 3 }
[[exercise]]
id = "05-worker-pool/01-pool"
student_files = ["pool.cpp", "pool_helpers.cpp"]
points = { public = 1.5, hidden = 0, race = 0 }
)");
  Manifest m = load_manifest(d / "manifest.toml");
  REQUIRE(m.exercises.size() == 2);
  CHECK(m.exercises[0].key == "ex_01_02");
  CHECK(m.exercises[1].key == "ex_05_01");
  CHECK(m.exercises[0].hints.size() == 2);
  CHECK(m.exercises[1].student_files.size() == 2);
  CHECK(m.max_points() == Approx(11.5));
  CHECK(select_exercises(m, {"05-worker-pool"}).size() == 1);
  CHECK(select_exercises(m, {"ex_01_02"})[0]->id == "01-goroutines/02-race-counter");
  CHECK_THROWS_AS(select_exercises(m, {"no-such"}), UserError);
}

TEST_CASE("an invalid manifest is refused with every problem listed") {
  fs::path d = fresh_dir("manifest-bad");
  write_file(d / "manifest.toml", R"([[exercise]]
id = "goroutines"
student_files = ["a.cpp"]
points = { public = 1, hidden = 1, race = 1 }
[[exercise]]
id = "01-a/01-b"
student_files = ["../escape.cpp"]
points = { public = -1, hidden = 1, race = 1 }
[[exercise]]
id = "01-a/01-c"
points = { public = 1, hidden = 1, race = 1 }
)");
  try {
    load_manifest(d / "manifest.toml");
    FAIL("no error");
  } catch (const UserError& e) {
    std::string what = e.what();
    CHECK(contains(what, "id must look like NN-topic/MM-slug"));
    CHECK(contains(what, "'../escape.cpp' must be a plain relative path"));
    CHECK(contains(what, "points.public must not be negative"));
    CHECK(contains(what, "(01-a/01-c): student_files is missing or empty"));
  }
}

TEST_CASE("a TOML syntax error names the line") {
  fs::path d = fresh_dir("manifest-syntax");
  write_file(d / "manifest.toml", "[course]\ntitle = \"x\n");
  CHECK_THROWS_WITH(load_manifest(d / "manifest.toml"), Catch::Contains("manifest.toml:2"));
}

TEST_CASE("output is coloured off a terminal when FORCE_COLOR asks, never when NO_COLOR is set") {
  // CTest's stdout is not a terminal: only FORCE_COLOR can turn colour on.
  unsetenv("NO_COLOR");
  setenv("FORCE_COLOR", "true", 1);  // what GitHub Classroom's command grader sets
  CHECK(use_color());
  setenv("NO_COLOR", "1", 1);
  CHECK_FALSE(use_color());
  unsetenv("NO_COLOR");
  for (const char* off : {"0", "false", ""}) {
    setenv("FORCE_COLOR", off, 1);
    CHECK_FALSE(use_color());
  }
  unsetenv("FORCE_COLOR");
  CHECK_FALSE(use_color());
}

TEST_CASE("the manifest's JSON twin reads as the same tree as the TOML, for graders built without toml++") {
  fs::path d = fresh_dir("manifest-twin");
  write_file(d / "manifest.toml", R"([course]
title = "T"
[[exercise]]
id = "01-goroutines/02-race-counter"
student_files = ["counter.cpp"]
hints = ["a"]
points = { public = 3, hidden = 1.5, race = 3 }
)");
  write_json_twin(d / "manifest.toml", d / "manifest.json");
  CHECK(json_twin(d / "manifest.toml") == d / "manifest.json");
  nlohmann::json from_toml = parse_data_text(read_file(d / "manifest.toml"), "manifest.toml");
  nlohmann::json from_json = parse_data_text(read_file(d / "manifest.json"), "manifest.json");
  CHECK(from_json == from_toml);
  CHECK(from_json["exercise"][0]["points"]["hidden"] == 1.5);
  CHECK_THROWS_WITH(parse_data_text("{\"a\": ", "broken.json"), Catch::Contains("broken.json"));
}

TEST_CASE("a progress table written as TOML reads back the same") {
  nlohmann::json progress = {{"exercise", {{"01-a/01-b", {{"done", true}, {"hints", 2}}}}}};
  std::string text = to_toml_text(progress);
  CHECK(contains(text, "[exercise.'01-a/01-b']"));
  CHECK(contains(text, "done = true"));
  CHECK(parse_data_text(text, ".course-progress.toml") == progress);
}

TEST_CASE("points split into whole hundredths that add up to the total exactly") {
  CHECK(split_points(4, 3) == std::vector<double>{1.34, 1.33, 1.33});
  CHECK(split_points(3, 2) == std::vector<double>{1.5, 1.5});
  CHECK(split_points(5, 0).empty());
  for (std::size_t n : {3u, 6u, 7u, 9u, 12u}) {
    double sum = 0;
    for (double share : split_points(10, n)) sum = add_points(sum, share);
    CHECK(sum == 10);
  }
  double total = 0;  // 200 points as twenty exercises of thirds: no 199.9999999999996
  for (int i = 0; i < 20; ++i)
    for (double share : split_points(10, 3)) total = add_points(total, share);
  CHECK(total == 200);
  CHECK(format_points(total) == "200");
}

TEST_CASE("command lines split like a shell splits them") {
  CHECK(shell_split(R"(/usr/bin/c++ -I"/a b/c" 'x y' z\ w -o "out.o")") ==
        std::vector<std::string>{"/usr/bin/c++", "-I/a b/c", "x y", "z w", "-o", "out.o"});
  CHECK(shell_quote("plain/path.o") == "plain/path.o");
  CHECK(shell_quote("it's") == "'it'\\''s'");
}

TEST_CASE("archive entries that are absolute or climb out are unsafe") {
  CHECK(unsafe_entry_reason("exercises/01-a/01-b/x.cpp").empty());
  CHECK(unsafe_entry_reason("a/..b/c").empty());
  CHECK_FALSE(unsafe_entry_reason("../x").empty());
  CHECK_FALSE(unsafe_entry_reason("a/../../x").empty());
  CHECK_FALSE(unsafe_entry_reason("/etc/passwd").empty());
  CHECK_FALSE(unsafe_entry_reason("a\\..\\..\\x").empty());
  CHECK_FALSE(unsafe_entry_reason("C:/x").empty());
}

TEST_CASE("a tar archive with a link entry is refused before anything is unpacked") {
  fs::path d = fresh_dir("tar-link");
  fs::create_directories(d / "src/course");
  write_file(d / "src/course/a.txt", "a");
  fs::create_symlink("/etc", d / "src/course/etc-link");
  auto r = testing::sh("tar -czf ../linked.tar.gz course", d / "src");
  REQUIRE(r.ok());
  Sandbox none;
  CHECK_THROWS_WITH(extract_archive(d / "linked.tar.gz", d / "out" / "x", none),
                    Catch::Contains("a link or special file"));
  CHECK_FALSE(fs::exists(d / "out" / "x" / "course"));
}

TEST_CASE("a plain tar.gz archive unpacks inside the destination") {
  fs::path d = fresh_dir("tar-ok");
  write_file(d / "good.tar", testing::make_tar({{"top/exercises/a.cpp", "int a;"}}));
  REQUIRE(testing::sh("gzip -n good.tar", d).ok());
  Sandbox none;
  extract_archive(d / "good.tar.gz", d / "work" / "unpacked", none);
  CHECK(read_file(d / "work/unpacked/top/exercises/a.cpp") == "int a;");
}

// Finding student files (intake/submission): a course where pool.cpp is the
// file of two exercises and every other name belongs to one.
namespace {

Manifest two_pools_manifest(const fs::path& d) {
  write_file(d / "manifest.toml", R"([course]
title = "T"
[[exercise]]
id = "01-basics/01-wait"
student_files = ["wait.cpp"]
points = { public = 1, hidden = 1, race = 1 }
[[exercise]]
id = "02-pools/01-pool"
student_files = ["pool.cpp"]
points = { public = 1, hidden = 1, race = 1 }
[[exercise]]
id = "02-pools/02-pool-again"
student_files = ["pool.cpp", "helper.cpp"]
points = { public = 1, hidden = 1, race = 1 }
)");
  return load_manifest(d / "manifest.toml");
}

// Where the scan found each exercise's files: "id: name found at path ...".
std::vector<std::string> found_lines(const SubmissionScan& scan, const Manifest& m) {
  return scan.where_found(select_exercises(m, {}));
}

bool listed(const std::vector<std::string>& list, const std::string& entry) {
  return std::find(list.begin(), list.end(), entry) != list.end();
}

}  // namespace

TEST_CASE("a flat upload gives each file to the one exercise with a file of that name and says it was flat") {
  fs::path d = fresh_dir("scan-flat");
  Manifest m = two_pools_manifest(d);
  write_file(d / "up/wait.cpp", "int wait;");
  write_file(d / "up/helper.cpp", "int helper;");
  write_file(d / "up/notes.txt", "mine");
  SubmissionScan scan = scan_submission(d / "up", m);
  CHECK(found_lines(scan, m) == std::vector<std::string>{"01-basics/01-wait: wait.cpp found at wait.cpp (flat upload)",
                                                         "02-pools/02-pool-again: helper.cpp found at helper.cpp (flat upload)"});
  CHECK(scan.files.at("01-basics/01-wait").at("wait.cpp").path == d / "up/wait.cpp");
  CHECK(scan.ignored == std::vector<std::string>{"notes.txt"});
  CHECK(scan.notes.empty());
}

TEST_CASE("grade-all given one student's flat or cloned submission says to use grade instead") {
  fs::path d = fresh_dir("grade-all-single");
  Manifest m = two_pools_manifest(d);
  write_file(d / "flat/wait.cpp", "int wait;");
  CHECK_THROWS_WITH(refuse_single_submission_folder(d / "flat", m),
                    Catch::Contains("looks like one student's submission (it holds wait.cpp)") &&
                        Catch::Contains("./course grade"));
  write_file(d / "clone/exercises/01-basics/01-wait/wait.cpp", "int wait;");
  CHECK_THROWS_WITH(refuse_single_submission_folder(d / "clone", m), Catch::Contains("it holds exercises"));
  // A class folder: one folder or archive per student, and a gradebook beside them.
  write_file(d / "class/ana/wait.cpp", "int wait;");
  write_file(d / "class/ben.zip", "PK");
  write_file(d / "class/gradebook.csv", "name,score");
  CHECK_NOTHROW(refuse_single_submission_folder(d / "class", m));
}

TEST_CASE("a flat file whose name two exercises use is graded for neither and the reason names both") {
  fs::path d = fresh_dir("scan-ambiguous");
  Manifest m = two_pools_manifest(d);
  write_file(d / "up/pool.cpp", "int pool;");
  write_file(d / "up/helper.cpp", "int helper;");
  SubmissionScan scan = scan_submission(d / "up", m);
  CHECK_FALSE(scan.has_any(*m.find("02-pools/01-pool")));
  CHECK(scan.files.at("02-pools/02-pool-again").count("pool.cpp") == 0);
  CHECK(scan.files.at("02-pools/02-pool-again").count("helper.cpp") == 1);  // its unique name is still taken
  REQUIRE(scan.notes.size() == 1);
  CHECK(scan.notes[0] == "pool.cpp belongs to 2 exercises (02-pools/01-pool, 02-pools/02-pool-again), so it was "
                         "not graded; put it in its exercise's folder");
  CHECK(listed(scan.ignored, "pool.cpp"));
  std::string why = scan.why_not_submitted(*m.find("02-pools/01-pool"));
  CHECK(contains(why, "pool.cpp was uploaded without its folder"));
  CHECK(contains(why, "put it in exercises/02-pools/01-pool/"));
  CHECK(scan.why_not_submitted(*m.find("01-basics/01-wait")) == "none of wait.cpp was in the submission");
}

TEST_CASE("flat files inside the one top-level folder of an upload are found there") {
  fs::path d = fresh_dir("scan-flat-nested");
  Manifest m = two_pools_manifest(d);
  write_file(d / "up/my-homework/wait.cpp", "int wait;");
  write_file(d / "up/README.txt", "hi");
  SubmissionScan scan = scan_submission(d / "up", m);
  CHECK(found_lines(scan, m) ==
        std::vector<std::string>{"01-basics/01-wait: wait.cpp found at my-homework/wait.cpp (flat upload)"});
  CHECK(scan.ignored == std::vector<std::string>{"README.txt"});
}

TEST_CASE("files in exercises/<id>/ or <id>/ are found there and not called flat") {
  fs::path d = fresh_dir("scan-folders");
  Manifest m = two_pools_manifest(d);
  write_file(d / "clone/exercises/02-pools/01-pool/pool.cpp", "int pool;");
  write_file(d / "ids/02-pools/02-pool-again/pool.cpp", "int pool;");
  CHECK(found_lines(scan_submission(d / "clone", m), m) ==
        std::vector<std::string>{"02-pools/01-pool: pool.cpp found at exercises/02-pools/01-pool/pool.cpp"});
  CHECK(found_lines(scan_submission(d / "ids", m), m) ==
        std::vector<std::string>{"02-pools/02-pool-again: pool.cpp found at 02-pools/02-pool-again/pool.cpp"});
}

TEST_CASE("a file in its exercise's folder wins over a flat copy, which is ignored with the reason") {
  fs::path d = fresh_dir("scan-mixed");
  Manifest m = two_pools_manifest(d);
  write_file(d / "up/exercises/01-basics/01-wait/wait.cpp", "int in_folder;");
  write_file(d / "up/wait.cpp", "int flat;");
  write_file(d / "up/helper.cpp", "int helper;");  // another exercise's file, flat: taken beside the folder one
  SubmissionScan scan = scan_submission(d / "up", m);
  CHECK(found_lines(scan, m) ==
        std::vector<std::string>{"01-basics/01-wait: wait.cpp found at exercises/01-basics/01-wait/wait.cpp",
                                 "02-pools/02-pool-again: helper.cpp found at helper.cpp (flat upload)"});
  CHECK(scan.ignored == std::vector<std::string>{"wait.cpp"});
  CHECK(scan.notes ==
        std::vector<std::string>{"wait.cpp is a second copy: exercises/01-basics/01-wait/wait.cpp was graded"});
}

TEST_CASE("a flat link or a flat file over 1 MiB is found but never used") {
  fs::path d = fresh_dir("scan-flat-unsafe");
  Manifest m = two_pools_manifest(d);
  write_file(d / "secret.cpp", "int secret;");
  fs::create_directories(d / "up");
  fs::create_symlink(d / "secret.cpp", d / "up/wait.cpp");
  write_file(d / "up/helper.cpp", std::string(kMaxStudentFileBytes + 1, ' '));
  SubmissionScan scan = scan_submission(d / "up", m);
  CHECK(scan.files.at("01-basics/01-wait").at("wait.cpp").problem == "is a symbolic link (not followed)");
  CHECK(scan.files.at("02-pools/02-pool-again").at("helper.cpp").problem == "is larger than 1 MiB");
  fs::path overlay = d / "overlay";
  fs::create_directories(d / "pristine/01-basics/01-wait");
  write_file(d / "pristine/01-basics/01-wait/wait.cpp", "int skeleton;");
  auto notes = build_overlay(d / "pristine", scan, *m.find("01-basics/01-wait"), overlay);
  CHECK(read_file(overlay / "01-basics/01-wait/wait.cpp") == "int skeleton;");
  CHECK(notes == std::vector<std::string>{"wait.cpp is a symbolic link (not followed): graded as the unchanged skeleton"});
}

TEST_CASE("a Catch2 XML report cut short keeps the test cases that finished") {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<Catch name="t">
  <Group name="t">
    <TestCase name="first" filename="/x/public_test.cpp" line="3">
      <OverallResult success="true" durationInSeconds="0.5"/>
    </TestCase>
    <TestCase name="second" filename="/x/public_test.cpp" line="8">
      <Section name="with a section" filename="/x/public_test.cpp" line="9">
        <Expression success="false" type="REQUIRE" filename="/x/public_test.cpp" line="10">
          <Original>sum == 15</Original>
          <Expanded>14 == 15</Expanded>
        </Expression>
      </Section>
      <OverallResult success="false"/>
    </TestCase>
    <TestCase name="third" filename="/x/public_test.cpp" line="12">
)";
  CatchRun run = parse_catch_xml(xml);
  CHECK(run.readable);
  CHECK_FALSE(run.complete);
  REQUIRE(run.cases.size() == 2);
  CHECK(run.cases[0].passed);
  CHECK(run.cases[0].seconds == Approx(0.5));
  CHECK_FALSE(run.cases[1].passed);
  CHECK(contains(run.cases[1].message, "REQUIRE( sum == 15 ) at public_test.cpp:10"));
  CHECK(contains(run.cases[1].message, "with expansion: 14 == 15"));
}

namespace {

// A complete Catch2 v2 XML report of the given test cases (name, passed).
std::string report_of(const std::vector<std::pair<std::string, bool>>& cases) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Catch name=\"t\">\n  <Group name=\"t\">\n";
  for (auto& [name, passed] : cases)
    xml += "    <TestCase name=\"" + name + "\"><OverallResult success=\"" + (passed ? "true" : "false") +
           "\"/></TestCase>\n";
  xml += "    <OverallResults successes=\"0\" failures=\"0\"/>\n  </Group>\n  <OverallResults successes=\"0\" "
         "failures=\"0\"/>\n</Catch>\n";
  return xml;
}

const std::vector<std::string> kExpected = {"first", "second"};
const std::string kAllPassed = report_of({{"first", true}, {"second", true}});
const std::string kOneFailed = report_of({{"first", true}, {"second", false}});

ReportCheck::Trust trust_of(const std::string& xml, int exit_code, bool exited = true) {
  return cross_check(parse_catch_xml(xml), kExpected, exited, exit_code).trust;
}

// A finished run of a test program, as run_tests would return it.
TestRun finished_run(const std::string& xml, int exit_code, const std::string& output = "") {
  TestRun t;
  t.run.exit_code = exit_code;
  t.run.output = output;
  t.report = parse_catch_xml(xml);
  return t;
}

}  // namespace

TEST_CASE("a report is believed when it holds every expected test case once and agrees with the exit status") {
  using T = ReportCheck::Trust;
  CHECK(trust_of(kAllPassed, 0) == T::believed);
  CHECK(trust_of(kOneFailed, 1) == T::believed);
  CHECK(trust_of(kOneFailed, 3) == T::believed);
  CHECK(trust_of(kAllPassed, 66) == T::believed);
  CHECK(cross_check(parse_catch_xml(kAllPassed), kExpected, true, 3).leaked);
  CHECK(cross_check(parse_catch_xml(kOneFailed), kExpected, true, 66).raced);
}

TEST_CASE("a report that disagrees with the exit status is tampered with") {
  using T = ReportCheck::Trust;
  CHECK(trust_of(kAllPassed, 1) == T::tampered);   // all passed, but the main saw a failure
  CHECK(trust_of(kOneFailed, 0) == T::tampered);   // a failure, but the main saw none
  CHECK(trust_of(kAllPassed, 42) == T::tampered);  // a status the test main never gives
  auto check = cross_check(parse_catch_xml(kAllPassed), kExpected, true, 1);
  CHECK(contains(check.why, "every test case passed, but the program exited with status 1"));
}

TEST_CASE("a complete report from a program that did not end by itself is tampered with") {
  CHECK(trust_of(kAllPassed, -1, false) == ReportCheck::Trust::tampered);
}

TEST_CASE("a second report, or anything after the end of the first, is tampered with") {
  using T = ReportCheck::Trust;
  CHECK(trust_of(kOneFailed + kAllPassed, 1) == T::tampered);
  CHECK(trust_of(kAllPassed + kAllPassed, 0) == T::tampered);
  CHECK(trust_of(kAllPassed + "\n  \n", 0) == T::believed);  // white space is not content
  CHECK(trust_of(kAllPassed + "x", 0) == T::tampered);
  auto second = parse_catch_xml(kAllPassed + kAllPassed.substr(kAllPassed.find("<Catch")));
  CHECK(second.documents == 2);
}

TEST_CASE("a report with a missing, repeated or unknown test case is tampered with") {
  using T = ReportCheck::Trust;
  CHECK(trust_of(report_of({{"first", true}}), 0) == T::tampered);
  CHECK(trust_of(report_of({{"first", true}, {"second", true}, {"second", true}}), 0) == T::tampered);
  CHECK(trust_of(report_of({{"first", true}, {"second", true}, {"third", true}}), 0) == T::tampered);
}

TEST_CASE("a report cut short is unfinished whatever the exit status says") {
  std::string cut = kAllPassed.substr(0, kAllPassed.find("</Group>"));
  CHECK(trust_of(cut, 0) == ReportCheck::Trust::unfinished);
  CHECK(trust_of("", 0) == ReportCheck::Trust::unfinished);
}

TEST_CASE("a run without a believable report fails every test case, the finished ones too") {
  std::string cut = kOneFailed.substr(0, kOneFailed.find("</Group>"));
  auto ev = evaluate(kExpected, finished_run(cut, 0), ItemKind::public_test, 4, 5, "/");
  CHECK(ev.passed == 0);
  CHECK(contains(ev.items[0].output, "without reporting this test case"));
  auto forged = evaluate(kExpected, finished_run(kAllPassed, 1), ItemKind::public_test, 4, 5, "/");
  CHECK(forged.passed == 0);
  CHECK(contains(forged.items[1].output, "the test program's report was tampered with or incomplete"));
  auto honest = evaluate(kExpected, finished_run(kOneFailed, 1), ItemKind::public_test, 4, 5, "/");
  CHECK(honest.passed == 1);
}

TEST_CASE("exit status 3 without the leak text fails every passed test case as a leak") {
  auto hidden = evaluate(kExpected, finished_run(kAllPassed, 3), ItemKind::public_test, 4, 5, "/");
  CHECK(hidden.passed == 0);
  CHECK(hidden.leaks);
  CHECK(contains(hidden.items[0].output, "hid the report text"));
  std::string told =
      "\ngoroutine leak in test case \"second\": 1 goroutine\n"
      "goroutine leak check: 1 test case(s) left goroutines running\n";
  auto shown = evaluate(kExpected, finished_run(kAllPassed, 3, told), ItemKind::public_test, 4, 5, "/");
  CHECK(shown.passed == 1);
  CHECK(shown.items[0].passed);
  CHECK(shown.leaks);
}

TEST_CASE("exit status 66 is a race even when no ThreadSanitizer text arrived") {
  TestRun quiet = finished_run(kAllPassed, 66);
  CHECK(race_reported(quiet));
  CHECK(race_text_hidden(quiet));
  TestRun told = finished_run(kAllPassed, 66, "WARNING: ThreadSanitizer: data race (pid=1)\n");
  CHECK(race_reported(told));
  CHECK_FALSE(race_text_hidden(told));
  CHECK_FALSE(race_reported(finished_run(kAllPassed, 0)));
}

TEST_CASE("test names are read from Catch2 v2 and v3 listings") {
  CHECK(parse_name_list("first test\n\"#quoted\"\n") == std::vector<std::string>{"first test", "#quoted"});
  CHECK(parse_xml_list("<?xml version=\"1.0\"?>\n<MatchingTests><TestCase><Name>a b</Name></TestCase>"
                       "<TestCase><Name>c</Name></TestCase></MatchingTests>") ==
        std::vector<std::string>{"a b", "c"});
}

TEST_CASE("a list of test names is quoted and escaped for Catch2's --input-file") {
  CHECK(input_file_selecting({"plain name", "a, b and \"c\"", "back\\slash"}) ==
        "\"plain name\"\n\"a\\, b and \\\"c\\\"\"\n\"back\\\\slash\"\n");
  CHECK(input_file_selecting({}).empty());
}

TEST_CASE("a ThreadSanitizer report is reduced to the two lines of the student's file") {
  fs::path d = fresh_dir("tsan");
  fs::path overlay = d / "overlay";
  write_file(overlay / "01-a/02-b/counter.cpp", "int n;\nvoid inc() {\n  n = n + 1;\n}\nint get() { return n; }\n");
  std::string src = (overlay / "01-a/02-b/counter.cpp").string();
  std::string report = "==================\nWARNING: ThreadSanitizer: data race (pid=1)\n"
                       "  Write of size 4 at 0x7b0400000000 by thread T2:\n"
                       "    #0 inc() " + src + ":3:5 (t+0x1)\n"
                       "    #1 operator() /course/runtime/src/sched.cpp:10:1 (t+0x2)\n\n"
                       "  Previous read of size 4 at 0x7b0400000000 by main thread (mutexes: write M1):\n"
                       "    #0 std::foo() /usr/include/c++/12/bits/x.h:1:1 (t+0x3)\n"
                       "    #1 get() " + src + ":5:20 (t+0x4)\n\n"
                       "  Thread T2 (tid=5, running) created by main thread at:\n"
                       "    #0 pthread_create x.cpp:1:1 (t+0x5)\n\n"
                       "SUMMARY: ThreadSanitizer: data race " + src + ":3:5 in inc()\n==================\n";
  auto races = parse_tsan_reports(report + report, overlay, {"counter.cpp"});
  REQUIRE(races.size() == 1);  // the same pair twice is shown once
  REQUIRE(races[0].accesses.size() == 2);
  CHECK(races[0].kind == "data race");
  CHECK(races[0].accesses[0].location == "01-a/02-b/counter.cpp:3");
  CHECK(races[0].accesses[0].what == "write by thread T2");
  CHECK(races[0].accesses[0].code == "n = n + 1;");
  CHECK(races[0].accesses[1].location == "01-a/02-b/counter.cpp:5");
  CHECK(races[0].accesses[1].what == "previous read by the main goroutine");
  CHECK(has_tsan_warning(report));
  CHECK_FALSE(has_tsan_fatal(report));
  CHECK(has_tsan_fatal("FATAL: ThreadSanitizer: unexpected memory mapping 0x1-0x2\n"));
}

TEST_CASE("a race whose only course frame is in a hidden test names no line or code of that test") {
  fs::path d = fresh_dir("tsan-hidden");
  fs::path overlay = d / "overlay";
  write_file(d / "course/hidden/01-a/02-b/hidden_test.cpp", "int shared;\nvoid hidden_helper() { shared = 42; }\n");
  std::string hidden = (d / "course/hidden/01-a/02-b/hidden_test.cpp").string();
  std::string report = "WARNING: ThreadSanitizer: data race (pid=1)\n"
                       "  Write of size 4 at 0x7b0400000000 by thread T2:\n"
                       "    #0 hidden_helper() " + hidden + ":2:22 (t+0x1)\n\n"
                       "  Previous write of size 4 at 0x7b0400000000 by main thread:\n"
                       "    #0 hidden_helper() " + hidden + ":2:22 (t+0x2)\n\n"
                       "SUMMARY: ThreadSanitizer: data race\n";
  auto races = parse_tsan_reports(report, overlay, {"counter.cpp"});
  REQUIRE(races.size() == 1);
  REQUIRE(races[0].accesses.size() == 2);
  CHECK(races[0].accesses[0].location == "a hidden test");
  CHECK(races[0].accesses[0].code.empty());
  CHECK_FALSE(contains(describe_races(races), "shared = 42"));
  CHECK_FALSE(contains(describe_races(races), "hidden_test.cpp"));
}

TEST_CASE("leaked goroutines are attributed to the test case that left them") {
  std::string out = "goroutine leak in test case \"sums\": found unexpected goroutines:\n"
                    "goroutine 7 [chan receive]:\n    blocked at /o/01-a/01-b/sum.cpp:21\n"
                    "    created by go() at /o/01-a/01-b/sum.cpp:20\n\n"
                    "goroutine leak check: 1 test case(s) left goroutines running\n";
  auto leaks = leaks_by_test(out);
  REQUIRE(leaks.size() == 1);
  CHECK(contains(leaks["sums"], "created by go() at /o/01-a/01-b/sum.cpp:20"));
  CHECK_FALSE(contains(leaks["sums"], "leak check:"));
}

TEST_CASE("a compile error is shown with the student's path, line and code") {
  std::string out = "/w/overlay/01-a/01-b/sum.cpp: In function 'long f()':\n"
                    "/w/overlay/01-a/01-b/sum.cpp:18:17: error: expected ',' or ';' before 'for'\n"
                    "   18 |   long total = 0\n      |                 ^\n";
  std::string e = explain_compile_errors(out, "/w/overlay");
  CHECK(contains(e, "01-a/01-b/sum.cpp:18:17: error: expected ',' or ';' before 'for'"));
  CHECK(contains(e, "long total = 0"));
  CHECK_FALSE(contains(e, "/w/overlay"));
}

TEST_CASE("the runner reports exit status, signals and output") {
  auto r = testing::sh("echo out; echo err >&2; exit 3");
  CHECK(r.exit_code == 3);
  CHECK(contains(r.output, "out\n"));
  CHECK(contains(r.output, "err\n"));
  auto k = testing::sh("kill -SEGV $$");
  CHECK(k.signal == SIGSEGV);
  CHECK_FALSE(k.ok());
}

TEST_CASE("a timeout kills the program and everything it started") {
  fs::path d = fresh_dir("timeout");
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "(sleep 2; touch survived) & sleep 100"};
  o.cwd = d;
  o.timeout_seconds = 1;
  o.sandbox.enabled = true;
  o.sandbox.drop_privileges = false;
  double start = now_seconds();
  RunResult r = run(o);
  CHECK(r.timed_out);
  CHECK(now_seconds() - start < 10);
  sleep(3);
  CHECK_FALSE(fs::exists(d / "survived"));
}

TEST_CASE("output beyond the cap is cut and says so") {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x"};
  o.output_cap = 1000;
  RunResult r = run(o);
  CHECK(r.ok());
  CHECK(r.output_truncated);
  CHECK(r.output.size() < 1200);
  CHECK(contains(r.output, "[output cut at"));
}

TEST_CASE("a program given the report pipe writes to fd 3 by name, as the sandbox uid too, and the grader reads it all") {
  RunOptions o;
  // More than a pipe holds (64 KiB): the grader reads while the program writes.
  o.argv = {"/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' r > /dev/fd/3; echo done; id -u"};
  o.cwd = "/";
  o.sandbox.enabled = true;
  o.capture_report_fd = true;
  o.timeout_seconds = 20;
  RunResult r = run(o);
  INFO(r.describe_end(20) << ": " << r.output);
  CHECK(r.ok());
  CHECK(r.report == std::string(200000, 'r'));
  CHECK_FALSE(r.report_truncated);
  if (running_as_root()) CHECK(contains(r.output, "65534"));  // reopened after dropping root

  o.report_cap = 1000;
  RunResult capped = run(o);
  CHECK(capped.ok());
  CHECK(capped.report.size() == 1000);
  CHECK(capped.report_truncated);
}

TEST_CASE("a program gets stdin, stdout and stderr (and the report pipe) but no other descriptor of the grader") {
  // Descriptors the grader holds open without close-on-exec, as a library
  // might leave them, low and high.
  int low = open("/dev/null", O_RDONLY);
  int high = fcntl(low, F_DUPFD, 200);
  REQUIRE(low >= 0);
  REQUIRE(high >= 200);
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "cd /proc/self/fd && echo *"};
  o.cwd = "/";
  for (bool report : {false, true}) {
    o.capture_report_fd = report;
    RunResult r = run(o);
    INFO(r.describe_end(600) << ": " << r.output);
    CHECK(r.ok());
    // The shell's glob opens the folder itself: one more descriptor, 3 or 4.
    CHECK(trim(r.output) == (report ? "0 1 2 3 4" : "0 1 2 3"));
  }
  close(low);
  close(high);
}

TEST_CASE("every program runs below goc-run-leader, a small program of its own, not a copy of the grader") {
  REQUIRE_FALSE(leader_program().empty());
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "cat /proc/$PPID/comm"};
  o.cwd = "/";
  RunResult r = run(o);
  INFO(r.describe_end(600) << ": " << r.output);
  CHECK(trim(r.output) == "goc-run-leader");
}

TEST_CASE("the leader's plan arrives whole, whatever bytes it holds, and a cut or padded plan is refused") {
  LeaderPlan p;
  p.argv = {"/bin/prog", "a:b", "", std::string("nul\0inside", 11), "12:34"};
  p.env = {"PATH=/bin", "X=line\nbreak"};
  p.cwd = "/tmp/some dir";
  p.quit_signal = SIGQUIT;
  p.report = true;
  p.sandboxed = true;
  p.isolate = true;
  p.drop_privileges = true;
  p.cpu_seconds = 65;
  p.max_file_bytes = 64L << 20;
  p.max_threads = 3000;
  p.uid = 65534;
  p.grader_pid = 4242;
  p.mounts.hidden = {"/course/solutions", "/course/hidden"};
  p.mounts.kept = {"/course/work/this"};
  p.mounts.kept_mount_points = {{"/course/work", "/course/work/this"}};
  std::string bytes = encode_plan(p);
  LeaderPlan q;
  REQUIRE(decode_plan(bytes, q));
  CHECK(q.argv == p.argv);
  CHECK(q.env == p.env);
  CHECK(q.cwd == p.cwd);
  CHECK(q.quit_signal == SIGQUIT);
  CHECK((q.report && !q.join_cgroup && q.sandboxed && q.isolate && q.drop_privileges && !q.no_aslr));
  CHECK((q.cpu_seconds == 65 && q.max_file_bytes == (64L << 20) && q.max_threads == 3000));
  CHECK((q.uid == 65534 && q.grader_pid == 4242));
  CHECK(q.mounts.hidden == p.mounts.hidden);
  CHECK(q.mounts.kept == p.mounts.kept);
  CHECK(q.mounts.kept_mount_points == p.mounts.kept_mount_points);
  CHECK(q.mounts.hidden_inside_kept.empty());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    LeaderPlan partial;
    CHECK_FALSE(decode_plan(bytes.substr(0, cut), partial));
  }
  LeaderPlan padded;
  CHECK_FALSE(decode_plan(bytes + "1:x", padded));
  CHECK_FALSE(decode_plan("", padded));
  CHECK_FALSE(decode_plan("99999999999999999999:x", padded));
}

TEST_CASE("a program run without the report pipe has no fd 3") {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "if (true >&3) 2>/dev/null; then echo open; else echo closed; fi"};
  o.cwd = "/";
  o.sandbox.enabled = true;
  RunResult r = run(o);
  INFO(r.describe_end(600) << ": " << r.output);
  CHECK(contains(r.output, "closed"));
  CHECK(r.report.empty());
}

TEST_CASE("sandboxed code has no network and, under root, runs as nobody with a thread cap") {
  RunOptions o;
  // /proc/net/dev lists the interfaces of the process's own network namespace.
  o.argv = {"/bin/sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; id -u"};
  o.cwd = "/";
  o.sandbox.enabled = true;
  RunResult r = run(o);
  REQUIRE(r.ok());
  if (!r.isolated) {
    WARN("this kernel refuses network namespaces here; network isolation not tested");
  } else {
    auto lines = split_lines(r.output);
    CHECK(std::find(lines.begin(), lines.end(), "lo") != lines.end());
    CHECK(lines.size() == 2);  // lo and the uid: no other interface
  }
  if (running_as_root()) {
    CHECK(contains(r.output, "65534"));
    RunOptions bomb;
    bomb.argv = {"/bin/sh", "-c", "for i in $(seq 1 60); do sleep 5 & done 2>&1; wait"};
    bomb.cwd = "/";
    bomb.sandbox.enabled = true;
    bomb.sandbox.max_threads = 20;
    bomb.timeout_seconds = 20;
    RunResult b = run(bomb);
    CHECK(contains(b.output, "fork"));  // "Cannot fork" / "can't fork": the cap bit
  }
}

namespace {
// How many processes (and threads: each is counted) the uid has now.
int tasks_of_uid(unsigned uid) {
  int n = 0;
  for (auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream status(entry.path() / "status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("Uid:", 0) == 0) {
        if (std::stoul(line.substr(4)) == uid) ++n;
        break;
      }
  }
  return n;
}
}  // namespace

TEST_CASE("exercises graded at once get uids of their own, so one's thread bomb leaves the other its threads") {
  UidPool pool;
  std::set<unsigned> released;
  {
    UidLease first(pool), second(pool);
    CHECK(second.uid() != first.uid());
    UidLease third(pool);
    CHECK(third.uid() != second.uid());
    CHECK(third.uid() != first.uid());
    released = {first.uid(), second.uid(), third.uid()};
  }
  // Released uids are used again (graders on this host may have taken some).
  UidLease again(pool);
  CHECK(released.count(again.uid()) == 1);
  if (!running_as_root()) {
    WARN("not root: student code runs as this user, and uids are not switched");
    return;
  }
  UidLease bomber(pool), neighbour(pool);
  RunOptions bomb;
  // The shell and 19 sleepers: the uid at its cap of 20, and nothing exits
  // early (a shell that cannot fork ends, and its PID namespace with it).
  bomb.argv = {"/bin/sh", "-c", "for i in $(seq 1 19); do sleep 4 & done; wait"};
  bomb.cwd = "/";
  bomb.sandbox.enabled = true;
  bomb.sandbox.max_threads = 20;
  bomb.sandbox.uid = bomber.uid();
  bomb.timeout_seconds = 30;
  RunResult bombed;
  std::thread bombing([&] { bombed = run(bomb); });
  // Wait (at most 20 s) until the bomber's uid is at its cap.
  for (int i = 0; i < 200 && tasks_of_uid(bomber.uid()) < 20; ++i) usleep(100000);
  CHECK(tasks_of_uid(bomber.uid()) >= 20);
  RunOptions work = bomb;
  work.argv = {"/bin/sh", "-c", "for i in 1 2 3 4 5; do true & done; wait; id -u"};
  work.sandbox.uid = neighbour.uid();
  RunResult beside = run(work);
  work.sandbox.uid = bomber.uid();
  RunResult shared = run(work);
  bombing.join();
  INFO("the bomb: " << bombed.describe_end(30) << ": " << bombed.output);
  CHECK(beside.ok());
  CHECK(contains(beside.output, std::to_string(neighbour.uid())));
  CHECK_FALSE(contains(beside.output, "fork"));
  CHECK(contains(shared.output, "fork"));  // the same uid would have been starved
}

TEST_CASE("the instructor build's fingerprint changes with any course file but not with build output") {
  fs::path root = fresh_dir("fingerprint");
  fs::create_directories(root / "hidden" / "01-a");
  fs::create_directories(root / "build" / "grader-cache");
  fs::create_directories(root / "cache");
  write_file(root / "hidden" / "01-a" / "hidden_test.cpp", "TEST_CASE(\"one\") {}\n");
  auto print = [&] { return inputs_fingerprint(root, root / "cache", ""); };
  std::string before = print();
  CHECK(print() == before);

  write_file(root / "build" / "grader-cache" / "x.o", "object");  // build output
  write_file(root / "cache" / "stamp", "cache");                  // the cache itself
  CHECK(print() == before);

  write_file(root / "hidden" / "01-a" / "hidden_test.cpp", "TEST_CASE(\"two\") {}\n");  // same size
  auto file = root / "hidden" / "01-a" / "hidden_test.cpp";
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(5));
  std::string edited = print();
  CHECK(edited != before);

  write_file(root / "hidden" / "01-a" / "helper.hpp", "");  // a new, empty file
  CHECK(print() != edited);
}

TEST_CASE("the instructor build's fingerprint follows the folders outside the course that its build compiles from") {
  fs::path top = fresh_dir("fingerprint-outside");
  fs::path root = top / "course", cache = root / "cache", runtime = top / "runtime";
  fs::create_directories(root / "exercises");
  fs::create_directories(cache);
  fs::create_directories(runtime / "include" / "goc");
  fs::create_directories(runtime / "src");
  fs::create_directories(top / "unrelated");
  write_file(root / "exercises" / "a.cpp", "int a;\n");
  write_file(runtime / "include" / "goc" / "goc.hpp", "// v1\n");
  write_file(runtime / "src" / "sched.cpp", "int s;\n");
  write_file(top / "unrelated" / "notes.txt", "x\n");
  nlohmann::json commands = nlohmann::json::array();
  commands.push_back({{"directory", cache.string()},
                      {"command", "/usr/bin/c++ -I" + (runtime / "include").string() +
                                      " -I/usr/include/catch2 -I" + (root / "exercises").string() +
                                      " -o x.o -c " + (root / "exercises" / "a.cpp").string()},
                      {"file", (root / "exercises" / "a.cpp").string()}});
  commands.push_back({{"directory", cache.string()},
                      {"command", "/usr/bin/c++ -c " + (runtime / "src" / "sched.cpp").string()},
                      {"file", (runtime / "src" / "sched.cpp").string()}});
  write_file(cache / "compile_commands.json", commands.dump());

  auto dirs = source_dirs_outside(root, cache);
  CHECK(dirs == std::vector<fs::path>{runtime / "include", runtime / "src"});
  // The root as `--root .` gives it (absolute and normal, it ends in a separator).
  CHECK(source_dirs_outside((root / ".").lexically_normal(), cache) == dirs);

  auto print = [&] { return inputs_fingerprint(root, cache, ""); };
  std::string before = print();
  write_file(top / "unrelated" / "notes.txt", "changed, and not compiled from\n");
  CHECK(print() == before);
  write_file(runtime / "include" / "goc" / "goc.hpp", "// v2, a header the build includes\n");
  std::string edited = print();
  CHECK(edited != before);
  write_file(runtime / "src" / "sched.cpp", "int s; // a source the build compiles\n");
  CHECK(print() != edited);

  write_file(cache / "compile_commands.json", "not json");
  CHECK(source_dirs_outside(root, cache).empty());
}

TEST_CASE("a make pass is remembered as failed only when the compiler refused the course's own files") {
  const fs::path root = "/course";
  const std::string course_error =
      "/course/hidden/01-a/hidden_test.cpp:12:6: error: redefinition of 'int helper()'\n"
      "gmake[2]: *** [exercises/CMakeFiles/ex_01_01_all_tests.dir/build.make:76: x.o] Error 1\n";
  CHECK(failed_on_course_code(course_error, root));
  // Nothing the compiler said about the course: a host or tool problem.
  CHECK_FALSE(failed_on_course_code("gmake: *** [Makefile:91: all] Error 2\n", root));
  CHECK_FALSE(failed_on_course_code("/elsewhere/x.cpp:1:1: error: nope\n", root));
  // The course's error beside a sign of the host's trouble: tried again next time.
  for (const char* host : {"c++: fatal error: Killed signal terminated program cc1plus",
                           "/course/a.cpp:1: internal compiler error: Segmentation fault",
                           "/usr/bin/ld: final link failed: No space left on device",
                           "cc1plus: out of memory allocating 65536 bytes: Cannot allocate memory"}) {
    CAPTURE(host);
    CHECK_FALSE(failed_on_course_code(course_error + host + "\n", root));
  }
}

TEST_CASE("bytes that are not UTF-8 become replacement characters and valid text is kept as it is") {
  CHECK(valid_utf8("plain, é, 日本, 🦫") == "plain, é, 日本, 🦫");
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(valid_utf8("a\xff" "b") == "a" + fffd + "b");
  CHECK(valid_utf8("cut \xE6\x97") == "cut " + fffd + fffd);  // a sequence cut short
  CHECK(valid_utf8("\xC0\xAF") == fffd + fffd);                // an overlong '/'
  CHECK(valid_utf8("\xED\xA0\x80") == fffd + fffd + fffd);     // a UTF-16 surrogate
  CHECK(valid_utf8("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK(xml_text("tab\there\nbell\x07 esc\x1b[0m") == "tab\there\nbell esc[0m");
}

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "reports.hpp"

namespace {

// A one-exercise result whose outputs hold what once stopped reports being
// written: bytes that are not UTF-8 and control characters.
SubmissionResult result_with_hostile_output(const Exercise& e) {
  SubmissionResult s;
  s.name = "bad\xff" "bytes";
  ExerciseResult r;
  r.exercise = &e;
  r.status = "failed";
  r.summary = "panic: \xfe\x01";
  GradeItem public_item{"adds \xc3", ItemKind::public_test, 0, 1, false, "got \xff\x1b[31m", 0};
  GradeItem hidden_item{"secret", ItemKind::hidden_test, 0, 1, false, "REQUIRE( secret_expression() )", 0};
  r.items = {public_item, hidden_item};
  s.exercises.push_back(r);
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// The check of student files before linking (compile/symbol_check).

namespace {

ObjectSymbol use(const std::string& demangled, bool cxx = true) {
  return ObjectSymbol{cxx ? "_Zx" : demangled, demangled, 'U'};
}
ObjectSymbol definition(const std::string& demangled, char type, bool cxx = true) {
  return ObjectSymbol{cxx ? "_Zx" : demangled, demangled, type};
}
bool allowed(const ObjectSymbol& s, const SymbolPolicy& p = SymbolPolicy::built_in()) {
  return p.judge(s).what.empty();
}

// Compiles `source` with `compiler` into `dir` and returns the object.
fs::path compile_object(const fs::path& dir, const std::string& name, const std::string& source,
                        const std::string& flags, const std::string& compiler = "g++") {
  write_file(dir / (name + ".cpp"), source);
  auto r = testing::sh(compiler + " -std=c++20 -O1 " + flags + " -c " + name + ".cpp -o " + name + ".o", dir);
  INFO(r.output);
  REQUIRE(r.ok());
  return dir / (name + ".o");
}

}  // namespace

TEST_CASE("every report is written and valid whatever bytes the programs printed") {
  Exercise e;
  e.id = "01-a/01-b";
  e.title = "T";
  SubmissionResult s = result_with_hostile_output(e);
  fs::path d = fresh_dir("hostile-reports");
  CHECK(write_reports(s, d).empty());
  auto json = nlohmann::json::parse(read_file(d / "results.json"));
  CHECK(json["tests"].size() == 2);
  pugi::xml_document junit;
  CHECK(junit.load_file((d / "junit.xml").c_str()).status == pugi::status_ok);
  for (auto name : {"report.md", "instructor-report.md"}) {
    std::string md = read_file(d / name);
    CHECK(valid_utf8(md) == md);
  }
}

TEST_CASE("one report that cannot be written does not stop the others") {
  Exercise e;
  e.id = "01-a/01-b";
  e.title = "T";
  SubmissionResult s = result_with_hostile_output(e);
  fs::path d = fresh_dir("one-report-blocked");
  fs::create_directories(d / "junit.xml");  // a folder where the file should go
  auto failed = write_reports(s, d);
  REQUIRE(failed.size() == 1);
  CHECK(contains(failed[0], "junit.xml"));
  CHECK(fs::is_regular_file(d / "report.md"));
  CHECK(fs::is_regular_file(d / "results.json"));
}

TEST_CASE("the student's report names a failed hidden test but never quotes it; the instructor's quotes it") {
  Exercise e;
  e.id = "01-a/01-b";
  e.title = "T";
  SubmissionResult s = result_with_hostile_output(e);
  std::string student = report_markdown(s, Audience::student);
  CHECK(contains(student, "secret"));
  CHECK_FALSE(contains(student, "secret_expression"));
  CHECK(contains(report_markdown(s, Audience::instructor), "secret_expression"));
  s.show_hidden_names = false;
  CHECK_FALSE(contains(report_markdown(s, Audience::student), "secret"));
  auto json = nlohmann::json::parse(results_json(s));
  CHECK(json["tests"][1]["visibility"] == "after_published");
}

TEST_CASE("an internal error still gives a results.json that scores 0 and says it is not the student's fault") {
  auto json = nlohmann::json::parse(failure_results_json("std::bad_alloc \xff"));
  CHECK(json["score"] == 0);
  CHECK(contains(json["output"].get<std::string>(), "not the student's fault"));
  CHECK(json["extra_data"]["internal_error"] == true);
}

TEST_CASE("a build that failed because the host could not fork or ran out of room is told from a compile error") {
  CHECK(is_host_failure("g++: fatal error: cannot execute 'cc1plus': vfork: Resource temporarily unavailable"));
  CHECK(is_host_failure("/usr/bin/ld: final link failed: No space left on device"));
  CHECK(is_host_failure("g++: fatal error: Killed signal terminated program cc1plus"));
  CHECK_FALSE(is_host_failure("sum.cpp:3:1: error: expected ';' before '}' token"));
  // The student's own text in a diagnostic is not the host's failure.
  CHECK_FALSE(is_host_failure("/w/overlay/01-a/sum.cpp:2:2: error: #error vfork: Resource temporarily unavailable"));
  CHECK_FALSE(is_host_failure("sum.cpp:5:17: error: static assertion failed: No space left on device"));
}

TEST_CASE("a uid another grader process holds is never handed out here") {
  int to_parent[2], to_child[2];
  REQUIRE(pipe(to_parent) == 0);
  REQUIRE(pipe(to_child) == 0);
  pid_t other = fork();
  REQUIRE(other >= 0);
  if (other == 0) {
    // The other grader: leases a uid and holds it until told to stop.
    UidPool theirs;
    UidLease lease(theirs);
    unsigned uid = lease.uid();
    [[maybe_unused]] auto w = write(to_parent[1], &uid, sizeof uid);
    char stop;
    [[maybe_unused]] auto r = read(to_child[0], &stop, 1);
    _exit(0);
  }
  unsigned held = 0;
  REQUIRE(read(to_parent[0], &held, sizeof held) == sizeof held);
  UidPool ours;
  CHECK(ours.lock_dir() == UidPool().lock_dir());  // one folder for the host
  {
    UidLease a(ours), b(ours), c(ours);
    CHECK(a.uid() != held);
    CHECK(b.uid() != held);
    CHECK(c.uid() != held);
  }
  [[maybe_unused]] auto w = write(to_child[1], "x", 1);
  int status = 0;
  waitpid(other, &status, 0);
  CHECK(WIFEXITED(status));
  // Once the other process is gone its uid can be leased again.
  std::set<unsigned> now;
  std::vector<std::unique_ptr<UidLease>> leases;
  for (int i = 0; i < 6; ++i) {
    leases.push_back(std::make_unique<UidLease>(ours));
    now.insert(leases.back()->uid());
  }
  CHECK(now.count(held) == 1);
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) close(fd);
}

TEST_CASE("sandboxed code sees neither hidden folders nor other processes, and kept folders stay visible") {
  fs::path d = fresh_dir("isolation");
  write_file(d / "secret" / "answer.txt", "the instructor's answer\n");
  write_file(d / "work" / "mine" / "own.txt", "my own file\n");
  write_file(d / "work" / "theirs" / "other.txt", "another student's file\n");
  fs::permissions(d / "work" / "mine", fs::perms::all);  // nobody may write here
  RunOptions o;
  o.argv = {"/bin/sh", "-c",
            "cat secret/answer.txt; ls work; cat work/mine/own.txt; echo new > work/mine/made.txt; "
            "echo processes: $(ls /proc | grep -c '^[0-9]'); cat /proc/1/cmdline; echo"};
  o.cwd = d;
  o.sandbox.enabled = true;
  o.sandbox.hidden_paths = {d / "secret", d / "work"};
  o.sandbox.kept_paths = {d / "work" / "mine"};
  RunResult r = run(o);
  INFO(r.describe_end(600) << ": " << r.output);
  if (!mount_isolation_available()) {
    WARN("no mount namespaces here: the run must refuse to start rather than show hidden folders");
    CHECK_FALSE(r.start_error.empty());
    return;
  }
  CHECK_FALSE(contains(r.output, "the instructor's answer"));
  CHECK_FALSE(contains(r.output, "theirs"));
  CHECK(contains(r.output, "my own file"));
  CHECK(fs::exists(d / "work" / "mine" / "made.txt"));  // the kept folder is the real one
  // A /proc of its own: sh, its subshell, ls and grep, not the host's processes.
  CHECK((contains(r.output, "processes: 4") || contains(r.output, "processes: 3")));
  CHECK(contains(r.output, "/bin/sh"));                  // PID 1 is the program
  // Nothing leaks back to the host's view.
  CHECK(read_file(d / "secret" / "answer.txt") == "the instructor's answer\n");
  CHECK_FALSE(contains(read_file("/proc/self/mountinfo"), "goc-hidden"));
}

// Both ways of enforcing the limit give the same verdict: the kernel's memory
// cgroup where the grader can make one, RSS sampling elsewhere.
void check_memory_limit(bool memory_cgroup) {
  RunOptions o;
  // `tail` keeps the last line, here one line of 400 MiB.
  o.argv = {"/bin/sh", "-c", "head -c 400M /dev/zero | tail -n 1 | wc -c"};
  o.cwd = "/";
  o.timeout_seconds = 60;
  o.sandbox.enabled = true;
  o.sandbox.max_memory_bytes = 100L << 20;
  o.sandbox.memory_cgroup = memory_cgroup;
  RunResult r = run(o);
  CHECK(r.memory_exceeded);
  CHECK_FALSE(r.ok());
  CHECK(r.describe_end(60) == "used more than 100 MiB of memory and was stopped");

  o.argv = {"/bin/sh", "-c", "head -c 20M /dev/zero | tail -n 1 | wc -c"};
  RunResult fine = run(o);
  CHECK(fine.ok());
  CHECK_FALSE(fine.memory_exceeded);
  CHECK(contains(fine.output, "20971520"));
}

TEST_CASE("a program over its memory limit is killed and the result says how much it was allowed") {
  SECTION("by the kernel, where the grader can make a memory cgroup") { check_memory_limit(true); }
  SECTION("by sampling its resident size, where it cannot") { check_memory_limit(false); }
}

TEST_CASE("as root on a host with a v1 memory hierarchy the grader makes a memory cgroup for a run") {
  // This machine kind mounts cgroups v1 (memory at /sys/fs/cgroup/memory); on
  // other hosts the check is whether a cgroup could be made at all.
  bool v1_host = fs::exists("/sys/fs/cgroup/memory/cgroup.procs");
  MemoryCgroup cgroup(64L << 20);
  INFO("memory cgroup version in use: " << cgroup.version());
  if (geteuid() == 0 && v1_host) CHECK(cgroup.version() == 1);
  if (!cgroup.active()) CHECK(cgroup.version() == 0);
  MemoryCgroup none(0);
  CHECK_FALSE(none.active());
}

TEST_CASE("memory sizes are read as G, GiB, M or MiB and bad ones are refused with the forms") {
  CHECK(parse_memory_size("2G") == 2L << 30);
  CHECK(parse_memory_size("1.5GiB") == 3L << 29);
  CHECK(parse_memory_size("512M") == 512L << 20);
  CHECK(describe_bytes(2L << 30) == "2 GiB");
  CHECK(describe_bytes(3L << 29) == "1.5 GiB");
  CHECK_THROWS_WITH(parse_memory_size("lots"), Catch::Contains("2G, 2GiB, 1536M or 512MiB"));
  CHECK_THROWS_AS(parse_memory_size("1K"), UserError);
}

TEST_CASE("the mount plan leaves out missing and nested folders and makes mount points for kept ones") {
  fs::path d = fresh_dir("mount-plan");
  fs::create_directories(d / "work" / "a" / "b");
  fs::create_directories(d / "work" / "nested");
  fs::create_directories(d / "solutions");
  auto plan = plan_mounts({d / "work", d / "work" / "nested", d / "solutions", d / "missing"}, {d / "work" / "a" / "b"});
  CHECK(plan.hidden == std::vector<std::string>{(d / "work").string(), (d / "solutions").string()});
  CHECK(plan.kept == std::vector<std::string>{(d / "work" / "a" / "b").string()});
  REQUIRE(plan.kept_mount_points.size() == 1);
  CHECK(plan.kept_mount_points[0] ==
        std::vector<std::string>{(d / "work" / "a").string(), (d / "work" / "a" / "b").string()});
}

TEST_CASE("without namespaces, hidden folders are closed to others while grading and reopened after, also on an error") {
  fs::path d = fresh_dir("closed-folders");
  fs::create_directories(d / "solutions");
  fs::create_directories(d / "hidden");
  fs::permissions(d / "solutions", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                       fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(d / "hidden", fs::perms::owner_all | fs::perms::others_exec);
  auto mode = [](const fs::path& p) { return fs::status(p).permissions(); };
  auto solutions_before = mode(d / "solutions"), hidden_before = mode(d / "hidden");
  if (running_as_root()) CHECK(nobody_can_read(d / "solutions"));
  try {
    ClosedFolders closed({d / "solutions", d / "hidden", d / "missing"});
    CHECK(closed.closed().size() == 2);
    CHECK((mode(d / "solutions") & fs::perms::others_all) == fs::perms::none);
    CHECK((mode(d / "hidden") & fs::perms::others_all) == fs::perms::none);
    CHECK((mode(d / "solutions") & fs::perms::owner_all) == fs::perms::owner_all);
    if (running_as_root()) CHECK_FALSE(nobody_can_read(d / "solutions"));
    throw UserError("grading failed half-way");
  } catch (const UserError&) {
  }
  CHECK(mode(d / "solutions") == solutions_before);
  CHECK(mode(d / "hidden") == hidden_before);
}

TEST_CASE("the allow-list lets through what goroutine, thread and printf solutions use, and the race detector's instrumentation") {
  for (auto name : {"goc::WaitGroup::wait()", "std::thread::join()", "std::__cxx11::basic_string<char>::_M_create(unsigned long&, unsigned long)",
                    "operator new(unsigned long)", "typeinfo for std::exception"})
    CHECK(allowed(use(name)));
  for (auto name : {"printf", "puts", "pthread_mutex_lock", "__cxa_atexit", "__cxa_guard_acquire", "__stack_chk_fail",
                    "_Unwind_Resume", "__tsan_read4", "__tsan_func_entry", "__tsan_atomic32_fetch_add", "__tsan_vptr_update"})
    CHECK(allowed(use(name, false)));
  // Weak copies of library templates, and the student's own functions, whatever their name.
  CHECK(allowed(definition("std::vector<int, std::allocator<int> >::push_back(int const&)", 'W')));
  CHECK(allowed(definition("void goc::go<main_worker>(main_worker&&)", 'W')));
  CHECK(allowed(definition("read(Queue&)", 'T')));
  CHECK(allowed(definition("total_count", 'B', false)));
  CHECK(allowed(definition("operator new(unsigned long, void*)", 'W')));
}

TEST_CASE("files, processes, exit handlers, signals, the environment and sanitizer hooks are refused with a reason") {
  for (auto name : {"fopen", "open", "atexit", "exit", "_exit", "system", "fork", "kill", "signal", "getenv", "dlsym",
                    "mmap", "syscall", "socket", "__tsan_ignore_thread_begin", "__tsan_acquire", "AnnotateHappensBefore",
                    "__sanitizer_set_report_path", "freopen", "fclose", "some_unknown_c_function"})
    CHECK_FALSE(allowed(use(name, false)));
  for (auto name : {"std::basic_ifstream<char, std::char_traits<char> >::basic_ifstream(char const*, std::_Ios_Openmode)",
                    "std::filesystem::__cxx11::path::_M_split_cmpts()", "Catch::getResultCapture()"}) {
    CAPTURE(name);
    CHECK_FALSE(allowed(use(name)));
  }
  Refusal r = SymbolPolicy::built_in().judge(use("atexit", false));
  CHECK(r.what == "uses `atexit`");
  CHECK(contains(r.why, "run when it ends"));
  CHECK_FALSE(r.instead.empty());
}

TEST_CASE("defining the sanitizer's hooks, main, the test framework's or the library's own symbols is refused") {
  CHECK_FALSE(allowed(definition("__tsan_default_options", 'T', false)));
  CHECK_FALSE(allowed(definition("main", 'T', false)));
  CHECK_FALSE(allowed(definition("open", 'T', false)));  // an extern "C" function
  CHECK_FALSE(allowed(definition("__reserved_name", 'D', false)));
  CHECK_FALSE(allowed(definition("Catch::AssertionHandler::complete()", 'W')));
  CHECK_FALSE(allowed(definition("goc_ex::generous(std::chrono::duration<long, std::ratio<1l, 1000l> >)", 'W')));
  CHECK_FALSE(allowed(definition("goc::Mutex::lock()", 'T')));
  CHECK_FALSE(allowed(definition("std::terminate()", 'T')));
  CHECK_FALSE(allowed(definition("operator new(unsigned long)", 'T')));
  CHECK(allowed(definition("DW.ref.__gxx_personality_v0", 'V', false)));
}

TEST_CASE("what clang emits into an object by itself passes, but a strong copy of its helper is refused") {
  // Seen in clang++ objects of the course's solutions (plain and -fsanitize=thread).
  CHECK(allowed(definition("__clang_call_terminate", 'W', false)));
  CHECK(allowed(definition("DW.ref.__gcc_personality_v0", 'V', false)));
  CHECK(allowed(use("__gcc_personality_v0", false)));
  CHECK_FALSE(allowed(definition("__clang_call_terminate", 'T', false)));
  CHECK_FALSE(allowed(definition("__gcc_personality_v0", 'T', false)));
}

// ---------------------------------------------------------------------------
// Which compiler grading uses (compile/compiler_choice).

namespace {

// A PATH of stand-in programs: clang++ that exits with `clang_status`
// (its ThreadSanitizer probe then passes or fails), and c++ and g++ that succeed.
struct FakeCompilers {
  fs::path dir;
  std::string old_path, old_cxx;
  bool had_cxx = false;
  FakeCompilers(const std::string& name, int clang_status) : dir(fresh_dir(name)) {
    for (auto [tool, status] : {std::pair<const char*, int>{"clang++", clang_status}, {"c++", 0}, {"g++", 0}}) {
      write_file(dir / tool, "#!/bin/sh\nexit " + std::to_string(status) + "\n");
      fs::permissions(dir / tool, fs::perms::owner_all);
    }
    old_path = std::getenv("PATH");
    if (const char* cxx = std::getenv("CXX")) {
      had_cxx = true;
      old_cxx = cxx;
    }
    unsetenv("CXX");
    setenv("PATH", (dir.string() + ":/usr/bin:/bin").c_str(), 1);
  }
  ~FakeCompilers() {
    setenv("PATH", old_path.c_str(), 1);
    if (had_cxx) setenv("CXX", old_cxx.c_str(), 1);
  }
};

}  // namespace

TEST_CASE("the grading compiler is clang++ where it builds ThreadSanitizer programs, else c++") {
  {
    FakeCompilers fake("compiler-clang-works", 0);
    CHECK(choose_grading_compiler("auto", fake.dir / "probe") == fake.dir / "clang++");
  }
  {
    FakeCompilers fake("compiler-clang-without-tsan", 1);
    CHECK(choose_grading_compiler("auto", fake.dir / "probe") == fake.dir / "c++");
  }
}

TEST_CASE("the ThreadSanitizer probe of clang++ is remembered until clang++ changes") {
  FakeCompilers fake("compiler-probe-memo", 0);
  fs::path memo = fake.dir / "compiler-probe.json";
  CHECK(choose_grading_compiler("auto", fake.dir / "probe", memo) == fake.dir / "clang++");
  REQUIRE(fs::exists(memo));
  // clang++ now fails the probe, but its file time is as before: the answer
  // comes from the memo, no probe runs.
  auto time = fs::last_write_time(fake.dir / "clang++");
  write_file(fake.dir / "clang++", "#!/bin/sh\nexit 1\n");
  fs::last_write_time(fake.dir / "clang++", time);
  CHECK(choose_grading_compiler("auto", fake.dir / "probe", memo) == fake.dir / "clang++");
  // A replaced clang++ (another file time) is probed again.
  fs::last_write_time(fake.dir / "clang++", time + std::chrono::seconds(5));
  CHECK(choose_grading_compiler("auto", fake.dir / "probe", memo) == fake.dir / "c++");
}

TEST_CASE("the grading compiler follows --compiler and then CXX, and a missing one is a clear error") {
  FakeCompilers fake("compiler-named", 0);
  CHECK(choose_grading_compiler("g++", fake.dir / "probe") == fake.dir / "g++");
  setenv("CXX", "g++", 1);
  CHECK(choose_grading_compiler("auto", fake.dir / "probe-cxx") == fake.dir / "g++");
  unsetenv("CXX");
  try {
    choose_grading_compiler("no-such-compiler++", fake.dir / "probe");
    FAIL("a missing compiler was accepted");
  } catch (const UserError& e) {
    CHECK(contains(e.what(), "no-such-compiler++"));
    CHECK(contains(e.what(), "--compiler"));
  }
}

TEST_CASE("asking g++ about a file clang++ refused drops clang's precompiled header and writes no object") {
  FakeCompilers fake("compiler-syntax-check", 0);
  std::vector<std::string> clang = {"/usr/bin/clang++", "-DX=1", "-Iinc", "-std=c++20", "-Winvalid-pch",
                                    "-Xclang", "-include-pch", "-Xclang", "/c/pch.hxx.pch", "-Xclang", "-include",
                                    "-Xclang", "/c/pch.hxx", "-o", "out.o", "-c", "sum.cpp"};
  CHECK(gcc_syntax_check_command(clang) == std::vector<std::string>{(fake.dir / "g++").string(), "-DX=1", "-Iinc",
                                                                     "-std=c++20", "-c", "sum.cpp", "-fsyntax-only"});
  CHECK(is_clang("/usr/bin/clang++"));
  CHECK(is_clang("/usr/lib/llvm-14/bin/clang++"));
  CHECK_FALSE(is_clang("/usr/bin/g++"));
}

TEST_CASE("a clang driver's dry run is read as its commands, word by word, with the escapes undone") {
  const std::string dry_run = "clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\nThread model: posix\n"
                              " \"/usr/bin/ld.gold\" \"-o\" \"a b\" \"x\\\"y.o\" \"c:\\\\d\" \"\\$HOME\"\n"
                              " \"/usr/bin/true\"\n";
  auto jobs = parse_driver_jobs(dry_run);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0] == std::vector<std::string>{"/usr/bin/ld.gold", "-o", "a b", "x\"y.o", "c:\\d", "$HOME"});
  CHECK(jobs[1] == std::vector<std::string>{"/usr/bin/true"});
  CHECK(parse_driver_jobs(" \"/usr/bin/ld.gold\" \"-o\" \"open\n").empty());
  CHECK(parse_driver_jobs("clang version 14.0.6\n").empty());
}

TEST_CASE("a program linked by clang++'s own linker command runs like one the driver links; g++ keeps its driver") {
  fs::path d = fresh_dir("direct-link");
  compile_object(d, "hello", "#include <cstdio>\nint main() { std::puts(\"linked\"); }\n", "");
  CHECK_FALSE(linker_command_of({"/usr/bin/g++", "hello.o", "-o", "hello"}, d));
  if (!have_program("clang++")) {
    WARN("clang++ is not installed: the direct link is not tried");
    return;
  }
  auto linker = linker_command_of({program_path("clang++").string(), "hello.o", "-o", "hello"}, d);
  REQUIRE(linker);
  CHECK_FALSE(is_clang(linker->front()));
  CHECK(std::find(linker->begin(), linker->end(), "hello.o") != linker->end());
  RunOptions o;
  o.argv = *linker;
  o.cwd = d;
  RunResult link = run(o);
  INFO(link.output);
  REQUIRE(link.ok());
  o.argv = {(d / "hello").string()};
  RunResult r = run(o);
  CHECK(r.ok());
  CHECK(r.output == "linked\n");
  // An input not built yet (the ThreadSanitizer cache's skeleton objects)
  // reaches the linker as it was written.
  auto later = linker_command_of({program_path("clang++").string(), "hello.o", "later/not-built.o", "-o", "h2"}, d);
  REQUIRE(later);
  CHECK(std::find(later->begin(), later->end(), "later/not-built.o") != later->end());
  // The answer is remembered beside the target and read back while the
  // driver line is the same; another line asks the driver again.
  fs::path memo = d / "grader-linker.json";
  std::vector<std::string> line = {program_path("clang++").string(), "hello.o", "-o", "hello"};
  CHECK(remembered_linker_command(memo, line, d) == linker);
  auto json = nlohmann::json::parse(read_file(memo));
  json["value"] = {"/bin/true", "remembered"};
  write_file(memo, json.dump());
  CHECK(remembered_linker_command(memo, line, d) == std::vector<std::string>{"/bin/true", "remembered"});
  line.back() = "hello-again";
  auto again = remembered_linker_command(memo, line, d);
  REQUIRE(again);
  CHECK(std::find(again->begin(), again->end(), "hello-again") != again->end());
  // A driver line the driver refuses is left to the driver.
  CHECK_FALSE(linker_command_of({program_path("clang++").string(), "--no-such-option", "hello.o", "-o", "h3"}, d));
}

TEST_CASE("an exercise's allow_symbols widens the check for that exercise only") {
  fs::path d = fresh_dir("manifest-allow-symbols");
  write_file(d / "manifest.toml", R"([[exercise]]
id = "01-files/01-read"
student_files = ["read.cpp"]
points = { public = 1, hidden = 1, race = 1 }
allow_symbols = ["fopen", "std::basic_ifstream*"]
)");
  auto m = load_manifest(d / "manifest.toml");
  auto policy = SymbolPolicy::built_in().allowing(m.exercises[0].allow_symbols);
  CHECK(allowed(use("fopen", false), policy));
  CHECK(allowed(use("std::basic_ifstream<char, std::char_traits<char> >::close()"), policy));
  CHECK_FALSE(allowed(use("fopen", false)));
  CHECK_FALSE(allowed(use("fclose", false), policy));
}

TEST_CASE("the allow-list's JSON twin judges symbols as the TOML file does") {
  fs::path d = fresh_dir("allowlist-twin");
  write_json_twin(fs::path(GOC_SOURCE_ROOT) / "grader/symbol-allowlist.toml", d / "symbol-allowlist.json");
  SymbolPolicy twin = SymbolPolicy::parse(read_file(d / "symbol-allowlist.json"), "symbol-allowlist.json");
  for (auto name : {"printf", "__tsan_read4", "pthread_mutex_lock"}) CHECK(allowed(use(name, false), twin));
  for (auto name : {"fopen", "atexit", "getenv", "__tsan_acquire"}) {
    CAPTURE(name);
    CHECK_FALSE(allowed(use(name, false), twin));
    CHECK(twin.judge(use(name, false)).why == SymbolPolicy::built_in().judge(use(name, false)).why);
  }
}

TEST_CASE("a malformed allow-list is an error that names the file and what is missing") {
  CHECK_THROWS_WITH(SymbolPolicy::parse("[allow]\nc_functions = [\"x\"]\n[[refuse]]\nsymbols = [\"y\"]\n", "list.toml"),
                    Catch::Contains("list.toml") && Catch::Contains("why"));
  CHECK_THROWS_WITH(SymbolPolicy::parse("[allow\n", "list.toml"), Catch::Contains("list.toml:1"));
}

TEST_CASE("qualified names drop the return type, the parameters and vtable prefixes") {
  CHECK(qualified_name("std::thread::join()") == "std::thread::join");
  CHECK(qualified_name("void goc::go<F>(F&&)") == "goc::go<F>");
  CHECK(qualified_name("vtable for Catch::TestInvokerAsFunction") == "Catch::TestInvokerAsFunction");
  CHECK(qualified_name("std::basic_ostream<char>& std::operator<< <std::char_traits<char> >(std::basic_ostream<char>&, char const*)") ==
        "std::operator<< <std::char_traits<char> >");
  CHECK(qualified_name("exit") == "exit");
  CHECK(symbol_matches("std::thread::*", "std::thread::join()"));
  CHECK(symbol_matches("exit", "exit"));
  CHECK_FALSE(symbol_matches("exit", "exit_code()"));
}

TEST_CASE("includes of absolute paths, of paths with .., of sub-folders or named by a macro are refused") {
  auto refused = [](const std::string& text) { return check_includes(text).size(); };
  CHECK(refused("#include \"../../../solutions/01-basics/01-sum/sum.cpp\"\n") == 1);
  CHECK(refused("#include \"/proc/self/cwd/x.cpp\"\n") == 1);
  CHECK(refused("  #  include </etc/passwd>\n") == 1);
  CHECK(refused("%:include \"../x.cpp\"\n") == 1);  // the digraph of '#'
  CHECK(refused("#include \\\n \"../x.cpp\"\n") == 1);  // a backslash-newline inside the directive
  CHECK(refused("#define F \"x.cpp\"\n#include F\n") == 1);
  CHECK(refused("#include <gtest/internal/gtest-port.h>\n") == 1);
  CHECK(refused("#line 1 \"/usr/include/stdio.h\"\n") == 1);
  CHECK(refused("#include \"sum.hpp\"\n#include <vector>\n#include <goc/goc.hpp>\n#include <cstdio>\n#include <bits/stdc++.h>\n"
                "// #include \"../in/a/comment\"\nconst char* s = \"#include </x>\";\n") == 0);
  auto r = check_includes("\n\n#include \"../../../solutions/x.cpp\"\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].line == 3);
  CHECK(contains(r[0].why, ".."));
}

TEST_CASE("inline assembly, sanitizer attributes in any spelling, token pasting, _Pragma and placement attributes are refused") {
  auto refused = [](const std::string& text) { return check_source_tokens(text).size(); };
  CHECK(refused("void f() { asm(\"syscall\"); }") == 1);
  CHECK(refused("void f() { __asm__ volatile(\"nop\"); }") == 1);
  CHECK(refused("__attribute__((no_sanitize(\"thread\"))) void f();") == 1);
  CHECK(refused("__attribute__((__no_sanitize_thread__)) void f();") == 1);
  CHECK(refused("[[gnu::no_sanitize(\"thread\")]] void f();") == 1);
  CHECK(refused("[[clang::disable_sanitizer_instrumentation]] void f();") == 1);
  CHECK(refused("#define NS(x) no_##x\n") == 1);
  CHECK(refused("_Pragma(\"weak main\")") == 1);
  CHECK(refused("#pragma weak f\n") == 1);
  CHECK(refused("__attribute__((destructor)) static void bye() {}") == 1);
  CHECK(refused("[[gnu::section(\".text\")]] const unsigned char code[] = {0x0f, 0x05};") == 1);
  CHECK(refused("<:<:gnu::weak:>:> void f();") == 1);  // digraphs of [[ and ]]
  // Ordinary code with the same words elsewhere passes.
  CHECK(refused("#pragma once\nint section = 0; const char* s = \"asm no_sanitize\"; // asm\n"
                "[[nodiscard]] int weak(int used) { return used; }\n[[maybe_unused]] static int x = 1'000'000;\n") == 0);
}

TEST_CASE("code that uses std::thread, std::mutex and printf compiles to objects the check accepts, plain and under ThreadSanitizer, with g++ and with clang++ where installed") {
  fs::path d = fresh_dir("symbols-legit");
  const std::string source = R"(#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
static std::mutex mu;
static std::map<std::string, int> counts;
int count_all(const std::vector<std::string>& words) {
  std::vector<std::thread> threads;
  for (auto& w : words) threads.emplace_back([&w] { std::lock_guard g(mu); ++counts[w]; });
  for (auto& t : threads) t.join();
  std::printf("%zu words\n", counts.size());
  std::cerr << "done" << std::endl;
  return static_cast<int>(counts.size());
}
void say_done() noexcept { std::cerr << "done" << std::endl; }
)";
  // clang++ too, where installed: a grader whose cache is built with it sees
  // clang's own helpers (__clang_call_terminate for say_done's noexcept).
  std::vector<std::string> compilers = {"g++"};
  if (have_program("clang++")) compilers.push_back("clang++");
  for (const std::string& compiler : compilers)
    for (std::string flags : {"", "-fsanitize=thread"}) {
      CAPTURE(compiler, flags);
      fs::path object = compile_object(d, compiler + (flags.empty() ? "-plain" : "-tsan"), source, flags, compiler);
      std::string error;
      auto refusals = check_object(object, source, SymbolPolicy::built_in(), error);
      CHECK(error.empty());
      CHECK(describe_refusals(refusals, "legit.cpp") == describe_refusals({}, "legit.cpp"));
      CHECK(check_source(source).empty());
    }
}

TEST_CASE("an object with a system-call instruction or a forbidden call is refused, naming the symbol and the student's line") {
  fs::path d = fresh_dir("symbols-bad");
  const std::string source = "#include <cstdio>\nvoid leave() { asm volatile(\"syscall\"); }\n"
                             "int peek() {\n  FILE* f = std::fopen(\"/etc/hostname\", \"r\");\n  return f != nullptr; }\n";
  fs::path object = compile_object(d, "bad", source, "");
  std::string error;
  auto refusals = check_object(object, source, SymbolPolicy::built_in(), error);
  REQUIRE(error.empty());
  std::string text = describe_refusals(refusals, "bad.cpp");
  CHECK(contains(text, "bad.cpp:4: uses `fopen`"));
  CHECK(contains(text, "FILE* f = std::fopen"));
  CHECK(contains(text, "a system-call instruction (`syscall`) in `leave()`"));
}

TEST_CASE("refusals are listed by the student's line and a reason they share is said once") {
  std::vector<Refusal> refusals = {{"uses `fclose`", "files", "memory", 9, "fclose(f);"},
                                   {"uses `atexit`", "exit", "return", 0, ""},
                                   {"uses `fopen`", "files", "memory", 4, "f = fopen(p);"}};
  std::string text = describe_refusals(refusals, "a.cpp");
  CHECK(text == "refused before linking: a.cpp does what exercise code may not do.\n"
                "- a.cpp:4: uses `fopen`\n    f = fopen(p);\n"
                "- a.cpp:9: uses `fclose`\n    fclose(f);\n  why: files\n  instead: memory\n"
                "- a.cpp: uses `atexit`\n  why: exit\n  instead: return\n");
}

TEST_CASE("the symbol check says why it cannot inspect an object instead of refusing it") {
  std::string error;
  auto refusals = check_object("/nonexistent/object.o", "", SymbolPolicy::built_in(), error);
  CHECK(refusals.empty());
  CHECK(contains(error, "cannot inspect object.o"));
}

// ---------------------------------------------------------------------------
// Issue 19, items 1 and 2: a hang ends with a goroutine dump and says which
// run ran out of which limit; race reports speak of goroutines, not threads.
namespace {

// The captured report (fixtures/tsan_race_in_goroutines.txt) with its
// placeholders pointing at a fresh overlay and course folder, and the
// student's and the course's files written there so that lines are quoted.
std::string captured_race_report(const fs::path& overlay, const fs::path& course) {
  fs::path ex = overlay / "01-goroutines/01-wait-dont-sleep";
  write_file(ex / "wait.cpp", "#include \"wait.hpp\"\n\n#include <goc/goc.hpp>\n\n"
                              "void run_and_wait(std::function<void()> job) {\n  goc::go(job);\n}\n");
  write_file(ex / "public_test.cpp", std::string(9, '\n') + "  run_and_wait([results] { (*results)[0] = 42; });\n"
                                                            "  delete results;\n");
  auto text = try_read_file(fs::path(GOC_SOURCE_ROOT) / "grader/tests/fixtures/tsan_race_in_goroutines.txt");
  REQUIRE(text);
  return replace_all(replace_all(*text, "@OVERLAY@", overlay.string()), "@COURSE@", course.string());
}

}  // namespace

TEST_CASE("a captured race report names goroutines and the go() call that started them, never threads") {
  fs::path d = fresh_dir("tsan-goroutines");
  std::string report = captured_race_report(d / "overlay", d / "course");
  auto races = parse_tsan_reports(report, d / "overlay", {"wait.cpp"});
  REQUIRE(races.size() == 1);  // its two reports name the same two lines
  REQUIRE(races[0].accesses.size() == 2);
  CHECK(races[0].accesses[0].what == "write by the main goroutine");
  CHECK(races[0].accesses[1].what ==
        "previous write by goroutine 2, started at 01-goroutines/01-wait-dont-sleep/wait.cpp:6");
  std::string shown = describe_races(races);
  CHECK_FALSE(contains(shown, "thread"));
  CHECK_FALSE(contains(shown, " T2"));
  // A lock-order report says "in thread T3" for where a mutex was taken.
  std::string cycle = "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=1)\n"
                      "  Mutex M2 acquired here while holding mutex M1 in thread T3:\n"
                      "    #0 f() /c/hidden/no.cpp:1 (t+0x1)\n\n"
                      "  Thread T3 'goroutine 5' (tid=9, running) created by main thread at:\n"
                      "    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (t+0x2)\n\n"
                      "SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock)\n";
  auto locks = parse_tsan_reports(cycle, d / "overlay", {"wait.cpp"});
  REQUIRE(locks.size() == 1);
  REQUIRE_FALSE(locks[0].accesses.empty());
  CHECK(locks[0].accesses[0].what == "mutex M2 acquired here while holding mutex M1 in goroutine 5");
}

TEST_CASE("a race report names only the student's and the course's lines, never ThreadSanitizer's, the library's or the runtime's") {
  fs::path d = fresh_dir("tsan-frames");
  std::string report = captured_race_report(d / "overlay", d / "course");
  auto races = parse_tsan_reports(report, d / "overlay", {"wait.cpp"});
  REQUIRE(races.size() == 1);
  REQUIRE(races[0].accesses.size() == 2);
  // operator delete in libsanitizer's tsan_new_delete.cpp is the first frame of the write.
  CHECK(races[0].accesses[0].location == "01-goroutines/01-wait-dont-sleep/public_test.cpp:11");
  CHECK(races[0].accesses[0].code == "delete results;");
  CHECK(races[0].accesses[1].location == "01-goroutines/01-wait-dont-sleep/public_test.cpp:10");
  std::string shown = describe_races(races);
  for (const char* foreign : {"libsanitizer", "tsan_new_delete", "/usr/", "sched.cpp", "sched.hpp", "goroutine.hpp"})
    CHECK_FALSE(contains(shown, foreign));
  // A stack with no such line at all says so rather than name a foreign one.
  std::string only_foreign = "WARNING: ThreadSanitizer: data race (pid=1)\n"
                             "  Write of size 8 at 0x7b04 by main thread:\n"
                             "    #0 operator delete(void*) ../../../../src/libsanitizer/tsan/tsan_new_delete.cpp:150 (t+0x1)\n"
                             "    #1 run_goroutine /c/runtime/src/sched.cpp:245 (t+0x2)\n\n"
                             "SUMMARY: ThreadSanitizer: data race\n";
  auto bare = parse_tsan_reports(only_foreign, d / "overlay", {"wait.cpp"});
  REQUIRE(bare.size() == 1);
  REQUIRE(bare[0].accesses.size() == 1);
  CHECK(bare[0].accesses[0].location.empty());
  CHECK(contains(describe_races(bare), "(no source line)"));
}

TEST_CASE("the time-limit message names the run, its own limit, the time waited and every goroutine's line") {
  TestRun t;
  t.variant = "ThreadSanitizer";
  t.run.timed_out = true;
  t.run.seconds = 122.3;
  t.run.output = "some test output\nSIGQUIT: quit (every goroutine as it was when the signal came)\n\n"
                 "goroutine 1 [sleep]:\n    blocked at /o/01-a/01-b/wait.cpp:20\n    main goroutine\n\n"
                 "goroutine 2 [chan receive]:\n    blocked at /o/01-a/01-b/wait.cpp:18\n"
                 "    created by go() at /o/01-a/01-b/wait.cpp:16\n\n";
  std::string why = why_unfinished(t, 120, "/o");
  CHECK(contains(why, "ThreadSanitizer run did not finish within its limit of 120 s and was stopped after 122 s"));
  CHECK(contains(why, "goroutine 2 [chan receive]:\n    blocked at 01-a/01-b/wait.cpp:18\n"
                      "    created by go() at 01-a/01-b/wait.cpp:16"));
  CHECK(contains(why, "goroutine 1 [sleep]:\n    blocked at 01-a/01-b/wait.cpp:20"));
  CHECK_FALSE(contains(why, "SIGQUIT"));
  CHECK_FALSE(contains(why, "\n\n\n"));
  t.variant = "plain";
  t.run.seconds = 31.8;
  CHECK(contains(why_unfinished(t, 30, "/o"), "plain run did not finish within its limit of 30 s and was stopped after 32 s"));
}

TEST_CASE("a time-limit dump of many goroutines shows the first dozen and counts the rest") {
  std::string out = "SIGQUIT: quit\n\n";
  for (int g = 1; g <= 30; ++g)
    out += "goroutine " + std::to_string(g) + " [chan send]:\n    blocked at /o/a.cpp:3\n    created by go() at /o/a.cpp:2\n\n";
  out += "leftover line\n";
  std::string dump = time_limit_dump(out);
  CHECK(contains(dump, "goroutine 12 [chan send]"));
  CHECK_FALSE(contains(dump, "goroutine 13 "));
  CHECK(contains(dump, "[... 18 more goroutines]"));
  CHECK_FALSE(contains(dump, "leftover"));
  CHECK(time_limit_dump("no dump here\n").empty());
}

TEST_CASE("progress lines say which run is still going and for how long of its limit") {
  RunWatch w{"plain", "01-01 public tests", {}, 10, nullptr};
  CHECK(progress_line(w, 20.4, 30) == "still running: 01-01 public tests (plain run), 20 s of 30 s");
}

TEST_CASE("at the time limit the program gets the quit signal and its answer is kept; ticks come until then") {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "trap 'echo goroutine dump; exit 2' QUIT; while :; do sleep 0.05; done"};
  o.timeout_seconds = 1;
  o.quit_signal = SIGQUIT;
  o.quit_grace_seconds = 20;
  o.tick_seconds = 0.25;
  std::vector<double> ticks;
  o.on_tick = [&](double s) { ticks.push_back(s); };
  o.sandbox.enabled = true;
  o.sandbox.drop_privileges = false;
  RunResult r = run(o);
  CHECK(r.timed_out);
  CHECK(contains(r.output, "goroutine dump"));
  CHECK(r.seconds < 15);  // it answered: the grace was not waited out
  CHECK(ticks.size() >= 2);
  for (double s : ticks) CHECK(s < 1.2);
}

TEST_CASE("a program that ignores the quit signal is killed when the grace is over") {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "trap '' QUIT; sleep 100"};
  o.timeout_seconds = 0.5;
  o.quit_signal = SIGQUIT;
  o.quit_grace_seconds = 1;
  o.sandbox.enabled = true;
  o.sandbox.drop_privileges = false;
  RunResult r = run(o);
  CHECK(r.timed_out);
  CHECK(r.seconds >= 1.4);
  CHECK(r.seconds < 10);
}

TEST_CASE("a run whose result is no longer wanted stops at once without the quit signal") {
  RunOptions o;
  o.argv = {"/bin/sh", "-c", "trap 'echo answered; exit 2' QUIT; while :; do sleep 0.05; done"};
  o.timeout_seconds = 60;
  o.quit_signal = SIGQUIT;
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  RunResult r = run(o);
  CHECK(r.cancelled);
  CHECK_FALSE(r.timed_out);
  CHECK_FALSE(contains(r.output, "answered"));
  CHECK(r.seconds < 10);
}

TEST_CASE("lines said from two threads at once never mix within a line") {
  fs::path file = fs::temp_directory_path() / ("goc-say-line-" + std::to_string(::getpid()));
  int saved = dup(2);
  int out = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(out >= 0);
  dup2(out, 2);
  const std::string a = "Building the instructor's plain objects (once; reused for every submission) ...";
  const std::string b = "Configuring the instructor build (tsan) in /some/where/build/grader-cache/tsan ...";
  std::atomic<int> ready{0};
  auto say = [&](const std::string& line) {
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }  // both threads start writing at the same moment
    for (int i = 0; i < 5000; ++i) say_line(line);
  };
  std::thread other(say, b);
  say(a);
  other.join();
  dup2(saved, 2);
  ::close(saved);
  ::close(out);
  std::ifstream in(file);
  int lines = 0, mixed = 0;
  for (std::string line; std::getline(in, line); ++lines)
    if (line != a && line != b) ++mixed;
  fs::remove(file);
  CHECK(lines == 10000);
  CHECK(mixed == 0);
}
