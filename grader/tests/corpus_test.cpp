// The sample-submission corpus (tests/submissions/<sample>/) graded end to end
// against the fixture course: each sample's expected.toml says what it must score.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <sstream>
#include <iostream>
#include <set>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <thread>
#include <toml++/toml.h>

#include "builder.hpp"
#include "compiler_choice.hpp"
#include "goc/testing/catch.hpp"
#include "grade.hpp"
#include "manifest.hpp"
#include "reports.hpp"
#include "test_support.hpp"

using namespace grader;

namespace {

const fs::path kCorpus = GRADER_CORPUS_DIR;
const fs::path kWork = GRADER_TEST_WORK;

struct Graded {
  SubmissionResult result;
  toml::table expected;
};

// Every file of `from`, without its folders, into `to`: a flat upload.
void copy_flat(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (auto& entry : fs::recursive_directory_iterator(from))
    if (entry.is_regular_file()) fs::copy_file(entry.path(), to / entry.path().filename());
}

// Turns a sample into the submission the grader receives (folder or archive).
fs::path materialise(const std::string& sample, const toml::table& expected) {
  fs::path inputs = kWork / "inputs" / sample;
  fs::remove_all(inputs);
  fs::create_directories(inputs);
  std::string archive = expected["archive"].value_or(std::string());
  std::string from = expected["from"].value_or(sample);
  if (expected["empty"].value_or(false)) {
    fs::create_directories(inputs / sample);
    return inputs / sample;
  }
  if (expected["flatten"].value_or(false)) {
    copy_flat(kCorpus / from / "submission", inputs / sample);
    return inputs / sample;
  }
  if (archive == "zip") {
    copy_tree(kCorpus / from / "submission", inputs / "pack" / (sample + "-main"));
    auto r = testing::sh("zip -qr " + shell_quote((inputs / (sample + ".zip")).string()) + " " +
                             shell_quote(sample + "-main"),
                         inputs / "pack");
    if (!r.ok()) throw std::runtime_error("zip failed: " + r.output);
    return inputs / (sample + ".zip");
  }
  if (archive == "tar.gz-traversal") {
    std::string solution = read_file(kCorpus / from / "submission/exercises/01-basics/01-sum/sum.cpp");
    std::string tar = testing::make_tar({{"course/exercises/01-basics/01-sum/sum.cpp", solution},
                                         {"../escaped-by-traversal.txt", "outside!"}});
    write_file(inputs / (sample + ".tar"), tar);
    auto r = testing::sh("gzip -n " + shell_quote(sample + ".tar"), inputs);
    if (!r.ok()) throw std::runtime_error("gzip failed: " + r.output);
    return inputs / (sample + ".tar.gz");
  }
  // The exercises listed in `with_solved` get the fixture's reference
  // solution beside the attack: the sample then also shows that they keep
  // their full marks, without a copy of the solution in every sample.
  if (auto* solved = expected["with_solved"].as_array()) {
    copy_tree(kCorpus / sample / "submission", inputs / sample);
    for (auto& id : *solved) {
      std::string exercise = id.value_or(std::string());
      copy_tree(fs::path(GRADER_FIXTURE_ROOT) / "solutions" / exercise, inputs / sample / "exercises" / exercise);
    }
    return inputs / sample;
  }
  return kCorpus / sample / "submission";
}

std::map<std::string, Graded>& corpus() {
  static std::map<std::string, Graded> graded = [] {
    GradeOptions o;
    o.course_root = GRADER_FIXTURE_ROOT;
    o.cache_dir = GRADER_TEST_CACHE;
    o.work_dir = kWork / "scratch";
    o.timeout_plain = 5;
    o.timeout_tsan = 60;
    o.jobs = 2;
    o.exercise_jobs = 1;
    o.quiet = true;
    o.sandbox.enabled = true;
    // This shared test machine fills memory at about 250 MB/s: limits well
    // below what a hog reaches within the 5 s timeout keep the memory-hog
    // sample about memory, not the clock. Honest fixture programs use under
    // 10 MB plain and 100 MB under ThreadSanitizer.
    o.max_memory_plain = 256L << 20;
    o.max_memory_tsan = 1L << 30;
    static Grader grader(o);
    grader.prepare();
    // Samples that attack one layer of the defence on its own turn the
    // layers before it off (expected.toml: check_symbols = false).
    o.check_symbols = false;
    static Grader without_symbol_check(o);
    without_symbol_check.prepare();
    std::vector<std::string> samples;
    for (auto& entry : fs::directory_iterator(kCorpus))
      if (fs::exists(entry.path() / "expected.toml")) samples.push_back(entry.path().filename().string());
    std::sort(samples.begin(), samples.end());
    std::map<std::string, Graded> out;
    for (auto& s : samples) out[s].expected = toml::parse_file((kCorpus / s / "expected.toml").string());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t i = next++; i < samples.size(); i = next++) {
        Graded& g = out[samples[i]];
        std::vector<std::string> only;
        if (auto* arr = g.expected["only"].as_array())
          for (auto& x : *arr) only.push_back(x.value_or(std::string()));
        fs::path submission = materialise(samples[i], g.expected);
        Grader& by = g.expected["check_symbols"].value_or(true) ? grader : without_symbol_check;
        g.result = by.grade(submission, samples[i], only);
      }
    };
    std::thread helper(worker);
    worker();
    helper.join();
    return out;
  }();
  return graded;
}

// The text inside every REQUIRE(...) of the fixture's hidden tests: what a
// student must never see before grades are published.
std::vector<std::string> hidden_test_expressions() {
  std::vector<std::string> out;
  for (auto& entry : fs::recursive_directory_iterator(fs::path(GRADER_FIXTURE_ROOT) / "hidden"))
    for (auto& line : split_lines(read_file(entry.is_regular_file() ? entry.path() : fs::path("/dev/null")))) {
      auto at = line.find("REQUIRE(");
      auto end = line.rfind(")");
      if (at != std::string::npos && end > at + 8) out.push_back(line.substr(at + 8, end - at - 8));
    }
  return out;
}

// Every report is written and valid whatever the programs printed, and the
// student's parts hold nothing of the hidden tests but their names.
void check_reports(const std::string& sample, const SubmissionResult& r) {
  fs::path dir = kWork / "reports" / sample;
  fs::remove_all(dir);
  CHECK(write_reports(r, dir).empty());
  std::string student = read_file(dir / "report.md");
  CHECK(valid_utf8(student) == student);
  CHECK(valid_utf8(read_file(dir / "instructor-report.md")) == read_file(dir / "instructor-report.md"));
  auto json = nlohmann::json::parse(read_file(dir / "results.json"));  // throws when invalid
  pugi::xml_document junit;
  CHECK(junit.load_file((dir / "junit.xml").c_str()).status == pugi::status_ok);
  std::string visible = json["output"].get<std::string>();
  for (auto& t : json["tests"]) {
    if (t["visibility"] == "visible") visible += t["output"].get<std::string>();
    else CHECK(t["output"].get<std::string>().size() <= 600);  // 500 and the note that it was cut
  }
  for (auto& secret : hidden_test_expressions()) {
    CAPTURE(secret);
    CHECK_FALSE(contains(student, secret));
    CHECK_FALSE(contains(visible, secret));
  }
  CHECK_FALSE(contains(student, "LEAKED-PAYLOAD"));
  CHECK_FALSE(contains(visible, "LEAKED-PAYLOAD"));
}

// Checks one sample against its expected.toml.
void check_sample(const std::string& sample) {
  auto it = corpus().find(sample);
  REQUIRE(it != corpus().end());
  const SubmissionResult& r = it->second.result;
  toml::table& expected = it->second.expected;
  std::string report = report_markdown(r);
  INFO("report.md of " << sample << ":\n" << report);
  check_reports(sample, r);
  if (expected["refused"].value_or(false))
    CHECK_FALSE(r.rejected.empty());
  else
    CHECK(r.rejected.empty());
  if (auto* wanted = expected["ignored_contains"].as_array())
    for (auto& w : *wanted) {
      std::string name = w.value_or(std::string());
      CAPTURE(name);
      CHECK(std::find(r.ignored.begin(), r.ignored.end(), name) != r.ignored.end());
    }
  auto* exercises = expected["exercise"].as_table();
  REQUIRE(exercises);
  for (auto& [id, node] : *exercises) {
    const toml::table& want = *node.as_table();
    std::string ex_id(id.str());
    CAPTURE(ex_id);
    const ExerciseResult* got = nullptr;
    for (auto& e : r.exercises)
      if (e.exercise->id == ex_id) got = &e;
    REQUIRE(got);
    CHECK(got->score() == Approx(want["score"].value_or(-1.0)));
    if (auto status = want["status"].value<std::string>()) CHECK(got->status == *status);
    if (auto* texts = want["report_contains"].as_array())
      for (auto& t : *texts) {
        std::string text = t.value_or(std::string());
        CAPTURE(text);
        CHECK(contains(report, text));
      }
  }
  // Gradescope's file agrees with the report.
  auto json = nlohmann::json::parse(results_json(r));
  CHECK(json["score"].get<double>() == Approx(r.score()));
}

}  // namespace

TEST_CASE("a submission with both exercises solved gets full marks") { check_sample("full-marks"); }
TEST_CASE("a .zip archive with a top-level folder is unpacked and graded like a folder") {
  check_sample("zipped-full-marks");
}
TEST_CASE("a partly done submission gets the points of the solved exercise only") { check_sample("partly-done"); }
TEST_CASE("a compile error costs only its exercise and the report shows the student's line") {
  check_sample("compile-error");
}
TEST_CASE("functionally right but racy code loses the race points and the report names both lines") {
  check_sample("racy");
}
TEST_CASE("a deadlock scores nothing and the report shows the runtime's goroutine dump") { check_sample("deadlock"); }
TEST_CASE("goroutines left running after a test fail that test with where they started") { check_sample("leaking"); }
TEST_CASE("an endless loop is stopped by the timeout and reported as a probable deadlock or loop") {
  check_sample("infinite-loop");
}
TEST_CASE("a thread bomb is contained and scores nothing") { check_sample("thread-bomb"); }
TEST_CASE("exit(0) from a static initializer earns nothing because no test reported") {
  check_sample("exit-in-initializer");
}
TEST_CASE("printed fake test-framework success and planted report files earn nothing") { check_sample("fake-success"); }
// The verdict from outside the student's reach (issue 15): the report comes
// through a pipe, the test main ends with _exit and decides the exit status,
// the grader cross-checks both, and TSAN_OPTIONS overrides the program's hooks.
TEST_CASE("a passing report forged by an exit handler earns nothing because no exit handler runs after the tests") {
  check_sample("forged-report-exit-handler");
}
TEST_CASE("a passing report written by a lingering thread after the real one fails the run as tampered") {
  check_sample("forged-report-lingering-thread");
}
TEST_CASE("racy code that turns ThreadSanitizer's reports off in its options hook loses the race points") {
  check_sample("tsan-options-hook");
}
TEST_CASE("racy code that closes stderr still loses the race points because the exit status says race") {
  check_sample("stderr-closed-racy");
}
TEST_CASE("leaking code that points stderr at /dev/null still fails because the exit status says leak") {
  check_sample("stderr-redirected-leaking");
}
TEST_CASE("an edited public test file is ignored and the course's own tests are run") {
  check_sample("edited-public-test");
}
TEST_CASE("extra files are listed as ignored and a missing exercise scores zero") { check_sample("extra-and-missing"); }
TEST_CASE("an empty submission scores zero without failing the grader") { check_sample("empty"); }
TEST_CASE("a solution uploaded without folders gets full marks and the report says where it was found") {
  check_sample("flat-upload");
  auto json = nlohmann::json::parse(results_json(corpus().at("flat-upload").result));
  CHECK(contains(json["output"].get<std::string>(), "01-basics/01-sum: sum.cpp found at sum.cpp (flat upload)"));
}
TEST_CASE("a panic carrying text in the hidden tests reaches the student as the hidden test's name only") {
  check_sample("hidden-text-in-panic");
  const auto& r = corpus().at("hidden-text-in-panic").result;
  std::string instructor = report_markdown(r, Audience::instructor);
  CHECK(contains(instructor, "LEAKED-PAYLOAD-START"));  // the instructor sees what ended the program
  // ... and at most 500 bytes of the program's output per hidden test: the
  // payload repeats its phrase about 150 times.
  std::size_t repeats = 0;
  for (auto at = instructor.find("would go here"); at != std::string::npos; at = instructor.find("would go here", at + 1))
    ++repeats;
  CHECK(repeats < 40);
}
TEST_CASE("output that is not UTF-8 still gives every report, valid") { check_sample("invalid-utf8"); }
// Issue 20: a failing hidden test in the instructor's report comes with the
// command that traces it; run as printed (with this test's folders), it
// builds the submission as grading did and draws that test's goroutines.
TEST_CASE("the instructor's report prints a command that traces the failing hidden test as a timeline") {
  const auto& r = corpus().at("hidden-text-in-panic").result;
  std::string instructor = report_markdown(r, Audience::instructor);
  INFO(instructor);
  REQUIRE(r.exercises.front().exercise->id == "01-basics/01-sum");
  const auto& items = r.exercises.front().items;
  auto failed = std::find_if(items.begin(), items.end(),
                             [](const GradeItem& i) { return i.kind == ItemKind::hidden_test && !i.passed; });
  REQUIRE(failed != items.end());  // the panic takes every hidden test with it
  std::string hidden = failed->name;
  std::string command = submission_trace_command("01-basics/01-sum", r.source, "hidden", "");
  REQUIRE(contains(instructor, "- Trace: `" + command + "` draws what each goroutine did in the run of the hidden "
                               "tests, where \"" + hidden + "\" failed."));
  CHECK_FALSE(contains(report_markdown(r, Audience::student), "./course trace"));
  CHECK_FALSE(contains(results_json(r), "./course trace"));

  fs::path out = kWork / "instructor-trace";
  fs::remove_all(out);
  std::vector<std::string> words = shell_split(command);
  words.erase(words.begin());  // ./course: the grader itself, on the fixture course
  std::vector<std::string> argv = {GRADER_BINARY, "--root", GRADER_FIXTURE_ROOT};
  argv.insert(argv.end(), words.begin(), words.end());
  argv.insert(argv.end(), {"--seed", "1", "--cache", GRADER_TEST_CACHE, "--work",
                           (kWork / "instructor-trace-work").string(), "--out", out.string(), "--timeout", "10"});
  setenv("GOC_TRACE_VIEWER", GOC_TRACE_VIEWER, 1);  // the fixture course has no docs/
  RunOptions o;
  o.argv = argv;
  o.timeout_seconds = 300;
  double start = now_seconds();
  RunResult ran = run(o);
  INFO(ran.describe_end(300) << "\n" << ran.output);
  CHECK(ran.ok());
  WARN("the instructor's trace took " << now_seconds() - start << " s");
  CHECK(contains(ran.output, "Traced 01-basics/01-sum of " + r.source.string() +
                                 ", its hidden tests (2): the tests did not pass"));
  CHECK(contains(ran.output, "open file://" + (out / "trace.html").string()));
  auto trace = nlohmann::json::parse(read_file(out / "trace.json"));
  CHECK(trace["otherData"]["schedule"] == "random:1");
  std::set<long> lanes;
  for (auto& event : trace["traceEvents"])
    if (event["ph"] == "M" && event["name"] == "thread_name") lanes.insert(event["tid"].get<long>());
  CHECK(lanes.size() >= 2);  // the test's own goroutine and the one that panicked
  std::string page = read_file(out / "trace.html");
  std::size_t drawn = 0;
  for (auto at = page.find("<g class=\"lane"); at != std::string::npos; at = page.find("<g class=\"lane", at + 1))
    ++drawn;
  CHECK(drawn == lanes.size());
  CHECK(contains(read_file(out / "output.txt"), "LEAKED-PAYLOAD-START"));  // the hidden test's panic
}


TEST_CASE("a compile error that quotes the compiler's fork failure stays the student's compile error") {
  check_sample("fake-host-failure");
  CHECK_FALSE(corpus().at("fake-host-failure").result.host_problem);
}
TEST_CASE("a file g++ compiles and the grading clang++ refuses is a host problem that says to grade with g++ and names the compiler, not the student's compile error") {
  const SubmissionResult& r = corpus().at("compilers-disagree").result;
  REQUIRE(r.exercises.size() == 1);
  const ExerciseResult& sum = r.exercises.front();
  INFO(report_markdown(r));
  fs::path compiler = choose_grading_compiler("auto", kWork / "compiler-probe");
  fs::path file = kCorpus / "compilers-disagree/submission/exercises/01-basics/01-sum/sum.cpp";
  bool clang_refuses = is_clang(compiler) &&
                       !testing::sh(compiler.string() + " -std=c++20 -fsyntax-only -I" +
                                        (fs::path(GRADER_FIXTURE_ROOT) / "exercises/01-basics/01-sum").string() +
                                        " -I" + (fs::path(GOC_SOURCE_ROOT) / "runtime/include").string() + " " +
                                        file.string(),
                                    kWork)
                            .ok();
  // The instructor's report says which compiler graded (to re-grade with another).
  CHECK(contains(report_markdown(r, Audience::instructor), "compiled with `" + compiler.string() + "`"));
  CHECK_FALSE(contains(report_markdown(r), "compiled with"));
  if (clang_refuses) {
    CHECK(sum.status == "host problem");
    CHECK(r.host_problem);
    CHECK(contains(sum.summary, "--compiler g++"));
    CHECK(contains(report_markdown(r), "source_location"));  // what clang++ said is shown
  } else {
    CHECK(sum.status == "passed");
    CHECK(sum.score() == Approx(10));
  }
}
TEST_CASE("printing ThreadSanitizer's start-up failure does not turn a race into a host problem") {
  check_sample("fake-tsan-fatal");
  CHECK_FALSE(corpus().at("fake-tsan-fatal").result.host_problem);
}
TEST_CASE("an archive with a ../ entry is refused whole and nothing is written outside") {
  check_sample("path-traversal");
  CHECK_FALSE(fs::exists(kWork / "scratch" / "escaped-by-traversal.txt"));
  CHECK_FALSE(fs::exists(kWork / "escaped-by-traversal.txt"));
  CHECK_FALSE(fs::exists(kWork / "inputs" / "escaped-by-traversal.txt"));
}

TEST_CASE("code that looks for hidden tests and solutions at run time finds nothing and scores nothing") {
  check_sample("reads-hidden-at-run-time");
  std::string report = report_markdown(corpus().at("reads-hidden-at-run-time").result);
  CHECK_FALSE(contains(report, "FOUND "));
  // A comment of the fixture's hidden_test.cpp (comments are not in the program).
  CHECK_FALSE(contains(report, "A name with a comma, quotes and a backslash"));
  CHECK_FALSE(contains(report, "workers < 1"));  // the reference solution
}
TEST_CASE("a correct solution that also fills 6 GiB is stopped at the memory limit and scores nothing") {
  check_sample("memory-hog");
}
TEST_CASE("an exit handler that rewrites the report is refused before linking and the exercise beside it keeps its marks") {
  check_sample("symbols-atexit-rewrites-report");
}
TEST_CASE("defining the race detector's options hook is refused before linking") {
  check_sample("symbols-tsan-options-hook");
}
TEST_CASE("including the instructor's solution by a relative path with .. is refused and costs only that exercise") {
  check_sample("symbols-include-solution");
}
TEST_CASE("including a file by an absolute path is refused before compiling") {
  check_sample("symbols-include-absolute");
}
TEST_CASE("reading the hidden tests with std::ifstream at run time is refused before linking") {
  check_sample("symbols-reads-hidden-tests");
}
TEST_CASE("a raw system call in inline assembly is refused before compiling") {
  check_sample("symbols-inline-asm-syscall");
}

TEST_CASE("a race-detector hook called only in the ThreadSanitizer build is refused and costs the whole exercise") {
  check_sample("symbols-only-under-tsan");
}

TEST_CASE("one program with both test sources lists each file's test cases and runs exactly a given list") {
  corpus();  // the fixture's instructor build is ready
  auto cache = fs::path(GRADER_TEST_CACHE) / "plain";
  InstructorBuild plain(GRADER_FIXTURE_ROOT, cache, Variant::plain);
  plain.prepare({}, false, 1, true);  // reads the cache: nothing to build
  std::string error;
  auto public_names = plain.test_names("ex_01_01_student_tests", error, "[#public_test]");
  auto hidden_names = plain.test_names("ex_01_01_student_tests", error, "[#hidden_test]");
  CHECK(public_names ==
        std::vector<std::string>{"sums a short list with two workers", "sums a thousand values with four workers"});
  REQUIRE(hidden_names.size() == 2);
  CHECK(hidden_names[1] == "more workers than values, \"5 for 2\", still sum every value \\ all of them");
  CHECK(plain.selects_exactly("ex_01_01_student_tests", {public_names, hidden_names}));

  // A name the program does not have cannot be selected: one program per list then.
  InstructorBuild again(GRADER_FIXTURE_ROOT, cache, Variant::plain);
  again.prepare({}, false, 1, true);
  auto with_unknown = public_names;
  with_unknown.push_back("a test case nobody wrote");
  CHECK_FALSE(again.selects_exactly("ex_01_01_student_tests", {with_unknown, hidden_names}));
  CHECK_FALSE(again.selects_exactly("ex_01_02_no_such_program", {public_names}));
}

TEST_CASE("a program's test names are remembered in the cache until the program is built again") {
  corpus();  // the fixture's instructor build is ready
  auto cache = fs::path(GRADER_TEST_CACHE) / "plain";
  const std::string target = "ex_01_01_student_tests";
  std::string error;
  std::vector<std::string> listed;
  {
    InstructorBuild plain(GRADER_FIXTURE_ROOT, cache, Variant::plain);
    plain.prepare({}, false, 1, true);
    listed = plain.test_names(target, error, "[#public_test]");
    REQUIRE(listed.size() == 2);
  }
  fs::path memo;
  for (auto& entry : fs::recursive_directory_iterator(cache))
    if (entry.path().filename() == "grader-test-names-public_test.json" &&
        entry.path().parent_path().filename() == target + ".dir")
      memo = entry.path();
  REQUIRE_FALSE(memo.empty());
  // What the memo says is what a new grader uses, without running the program ...
  auto json = nlohmann::json::parse(read_file(memo));
  json["value"] = std::vector<std::string>{"a name only the memo knows"};
  write_file(memo, json.dump());
  InstructorBuild second(GRADER_FIXTURE_ROOT, cache, Variant::plain);
  second.prepare({}, false, 1, true);
  CHECK(second.test_names(target, error, "[#public_test]") == std::vector<std::string>{"a name only the memo knows"});
  // ... until the program changes: then it is asked again.
  fs::path binary;
  for (auto& entry : fs::recursive_directory_iterator(cache))
    if (entry.path().filename() == target && entry.is_regular_file()) binary = entry.path();
  REQUIRE_FALSE(binary.empty());
  fs::last_write_time(binary, fs::last_write_time(binary) + std::chrono::seconds(2));
  InstructorBuild third(GRADER_FIXTURE_ROOT, cache, Variant::plain);
  third.prepare({}, false, 1, true);
  CHECK(third.test_names(target, error, "[#public_test]") == listed);
}

TEST_CASE("the plain cache optimises the code every submission reuses (runtime and test main and tests)") {
  // They are compiled once per machine and run for every submission, under
  // every seeded schedule (goc_grading_code in cmake/GocBuildFlags.cmake).
  corpus();  // the fixture's instructor build is ready
  auto commands = nlohmann::json::parse(read_file(fs::path(GRADER_TEST_CACHE) / "plain" / "compile_commands.json"));
  std::set<std::string> optimised, unoptimised;
  for (auto& entry : commands) {
    std::string command = entry.at("command");
    for (const char* what : {"goc_runtime.dir", "goc_catch_main.dir", "_all_tests.dir", "_public_tests.dir"})
      if (contains(command, what)) (contains(command, " -O2 ") ? optimised : unoptimised).insert(what);
  }
  CHECK(optimised == std::set<std::string>{"goc_runtime.dir", "goc_catch_main.dir", "_all_tests.dir", "_public_tests.dir"});
  CHECK(unoptimised.empty());
}

TEST_CASE("a course tree links its programs with gold when the toolchain has it") {
  // cmake/GocBuildFlags.cmake chooses it for every course tree: the grader
  // relinks two programs per exercise for every submission, and ld.bfd takes
  // more than twice as long with ThreadSanitizer's runtime.
  corpus();  // the fixture's instructor builds are ready
  if (!testing::sh("command -v ld.gold", ".").ok()) {
    WARN("this toolchain has no gold: nothing to check");
    return;
  }
  for (const char* variant : {"plain", "tsan"}) {
    CAPTURE(variant);
    CHECK(contains(read_file(fs::path(GRADER_TEST_CACHE) / variant / "CMakeCache.txt"), "GOC_HAVE_GOLD:INTERNAL=1"));
    int links = 0;
    for (auto& entry : fs::recursive_directory_iterator(fs::path(GRADER_TEST_CACHE) / variant))
      if (entry.path().filename() == "link.txt" && contains(entry.path().string(), "_student_")) {
        CAPTURE(entry.path());
        CHECK(contains(read_file(entry.path()), "-fuse-ld=gold"));
        ++links;
      }
    CHECK(links > 0);
  }
}

TEST_CASE("an exercise whose tests do not compile as one unit is graded with two programs built on demand") {
  // 02-counter's test files define the same helper (see the fixture's CMakeLists.txt).
  const auto& full = corpus().at("full-marks").result;
  auto counter = std::find_if(full.exercises.begin(), full.exercises.end(),
                              [](const ExerciseResult& e) { return e.exercise->key == "ex_01_02"; });
  REQUIRE(counter != full.exercises.end());
  CHECK(counter->status == "passed");
  CHECK(counter->public_total == 2);
  CHECK(counter->hidden_total == 2);
  // Built when grading first needed them (the make pass of prepare() does not).
  auto cache = fs::path(GRADER_TEST_CACHE);
  CHECK(fs::exists(cache / "plain/exercises/ex_01_02_student_public"));
  CHECK(fs::exists(cache / "plain/exercises/ex_01_02_student_hidden"));
  CHECK(fs::exists(cache / "tsan/exercises/ex_01_02_student_hidden"));

  // The failed one-unit build is not silent: the instructor is told, with the error.
  auto manifest = load_manifest(fs::path(GRADER_FIXTURE_ROOT) / "exercises" / "manifest.toml");
  std::vector<const Exercise*> all;
  for (auto& e : manifest.exercises) all.push_back(&e);
  // A new grader's plain build, prepared; `then` gets it; returns what it said.
  auto prepared = [&](const std::function<void(InstructorBuild&)>& then) {
    InstructorBuild plain(GRADER_FIXTURE_ROOT, cache / "plain", Variant::plain);
    std::ostringstream said;
    auto* old_cerr = std::cerr.rdbuf(said.rdbuf());
    plain.prepare(all, true, 1, true);
    std::cerr.rdbuf(old_cerr);
    then(plain);
    return said.str();
  };
  auto prepare_says = [&] { return prepared([](InstructorBuild&) {}); };
  fs::path stamp = cache / "plain" / ".grader-built";
  fs::remove(stamp);
  std::string said = prepare_says();
  CHECK(contains(said, "warning: the instructor's plain build failed for some targets"));
  CHECK(contains(said, "count_with"));

  // The failure is remembered: the next grader repeats the warning without a
  // make pass (it prints the log the memo holds) ...
  std::string memo = read_file(stamp);
  auto at = memo.find("failed on the course's code:\n");
  REQUIRE(at != std::string::npos);
  const std::string planted = "/no/such/file.cpp:1:1: error: a line only the memo holds";
  write_file(stamp, memo.substr(0, at) + "failed on the course's code:\n" + planted + "\n");
  said = prepare_says();
  CHECK(contains(said, "warning: the instructor's plain build failed for some targets"));
  CHECK(contains(said, planted));
  // ... until the course's files change (here: the fingerprint no longer matches).
  write_file(stamp, "another fingerprint\nfailed on the course's code:\n" + planted + "\n");
  said = prepare_says();
  CHECK_FALSE(contains(said, planted));
  CHECK(contains(said, "count_with"));

  // A build on demand is skipped when the same targets were built from the
  // same files: shown with the one-unit target, which fails when it is built.
  std::string inputs = read_file(stamp);
  inputs = inputs.substr(0, inputs.find("\ntargets: "));
  const std::vector<std::string> one_unit = {"ex_01_02_student_tests"};
  fs::path built = cache / "plain" / ".grader-built-ex_01_02_student_tests";
  auto build_on_demand = [&] {
    bool built_ok = false;
    prepared([&](InstructorBuild& plain) {
      std::string error;
      built_ok = plain.ensure_built(one_unit, error);
    });
    return built_ok;
  };
  fs::remove(built);
  CHECK_FALSE(build_on_demand());
  CHECK_FALSE(fs::exists(built));  // a failed build is not remembered
  write_file(built, inputs + "\ntargets: ex_01_02_student_tests\n");
  CHECK(build_on_demand());  // the stamp says built: no make pass ran
  write_file(built, "another fingerprint\ntargets: ex_01_02_student_tests\n");
  CHECK_FALSE(build_on_demand());
  fs::remove(built);
  CHECK(fs::exists(cache / "plain" / ".grader-built-ex_01_02_student_public+ex_01_02_student_hidden"));
}

TEST_CASE("every sample in the corpus folder has a test case above") {
  std::set<std::string> named = {"full-marks", "zipped-full-marks", "partly-done", "compile-error", "racy",
                                 "deadlock", "leaking", "infinite-loop", "thread-bomb", "exit-in-initializer",
                                 "fake-success", "edited-public-test", "extra-and-missing", "empty", "flat-upload",
                                 "path-traversal", "hidden-text-in-panic", "invalid-utf8", "fake-tsan-fatal", "fake-host-failure",
                                 "forged-report-exit-handler", "forged-report-lingering-thread",
                                 "tsan-options-hook", "stderr-closed-racy", "stderr-redirected-leaking",
                                 "reads-hidden-at-run-time", "memory-hog",
                                 "symbols-atexit-rewrites-report", "symbols-tsan-options-hook",
                                 "symbols-include-solution", "symbols-include-absolute", "symbols-reads-hidden-tests",
                                 "symbols-inline-asm-syscall", "symbols-only-under-tsan", "compilers-disagree"};
  for (auto& [name, g] : corpus()) {
    CAPTURE(name);
    CHECK(named.count(name) == 1);
  }
}

TEST_CASE("hidden tests are published after grades are, public ones and race checks are visible") {
  const auto& r = corpus().at("partly-done").result;
  auto json = nlohmann::json::parse(results_json(r));
  int hidden = 0, visible = 0;
  for (auto& t : json["tests"]) {
    auto tags = t["tags"].get<std::vector<std::string>>();
    bool is_hidden = std::find(tags.begin(), tags.end(), "hidden") != tags.end();
    CHECK(t["visibility"] == (is_hidden ? "after_published" : "visible"));
    CHECK(t.contains("max_score"));
    CHECK((t["status"] == "passed" || t["status"] == "failed"));
    (is_hidden ? hidden : visible)++;
  }
  CHECK(hidden == 4);
  CHECK(visible == 6);
  CHECK(json["score"].get<double>() == Approx(10));
}

TEST_CASE("the gradebook has one row per submission and one column per exercise") {
  std::vector<SubmissionResult> all = {corpus().at("full-marks").result, corpus().at("partly-done").result};
  Manifest m = load_manifest(fs::path(GRADER_FIXTURE_ROOT) / "exercises/manifest.toml");
  auto exercises = select_exercises(m, {});
  std::string csv = gradebook_csv(all, exercises);
  CHECK(csv ==
        "student,01-basics/01-sum,01-basics/02-counter,total,max,status\n"
        "full-marks,10,10,20,20,graded\n"
        "partly-done,10,0,10,20,graded\n");
}

TEST_CASE("grade-all grades a folder holding a flat upload like any other submission") {
  corpus();  // the fixture's instructor caches are ready
  fs::path batch = kWork / "grade-all-flat";
  fs::remove_all(batch);
  copy_flat(kCorpus / "full-marks" / "submission", batch / "submissions" / "flat-student");
  // Without the race detector: finding the files is what is tested here, and
  // its builds and runs would triple the time (the flat-upload sample has them).
  RunOptions o;
  o.argv = {GRADER_BINARY, "--root", GRADER_FIXTURE_ROOT, "grade-all", (batch / "submissions").string(),
            "--cache", GRADER_TEST_CACHE, "--work", (batch / "work").string(), "--out", (batch / "out").string(),
            "--no-race", "--timeout", "5", "-q"};
  o.timeout_seconds = 300;
  RunResult r = run(o);
  INFO(r.describe_end(300) << "\n" << r.output);
  CHECK(r.ok());
  CHECK(read_file(batch / "out" / "gradebook.csv") ==  // every public and hidden test's points
        "student,01-basics/01-sum,01-basics/02-counter,total,max,status\n"
        "flat-student,8,6,14,20,graded\n");
  std::string report = read_file(batch / "out" / "flat-student" / "report.md");
  CHECK(contains(report, "01-basics/01-sum: sum.cpp found at sum.cpp (flat upload)"));
  CHECK(contains(report, "01-basics/02-counter: counter.cpp found at counter.cpp (flat upload)"));
}

// ---------------------------------------------------------------------------
// Release and the Gradescope package.

#include "gradescope.hpp"
#include "release.hpp"

namespace {

std::string env_run(const std::string& env, const std::string& command) {
  auto r = testing::sh(env + " " + command);
  return r.output;
}

nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(read_file(p)); }

}  // namespace

TEST_CASE("the Gradescope package holds setup.sh, run_autograder and the course with its hidden tests") {
  fs::path dir = kWork / "package";
  fs::remove_all(dir);
  fs::create_directories(dir);
  GradescopeOptions options;
  options.allow_dirty = true;  // HEAD's fixture, whatever the developer's tree holds
  package_gradescope(GRADER_FIXTURE_ROOT, dir / "autograder.zip", options);
  REQUIRE(testing::sh("unzip -q autograder.zip -d source", dir).ok());
  CHECK(fs::exists(dir / "source/setup.sh"));
  CHECK(fs::exists(dir / "source/run_autograder"));
  CHECK(fs::exists(dir / "source/course/exercises/manifest.toml"));
  CHECK(fs::exists(dir / "source/course/hidden/01-basics/01-sum/hidden_test.cpp"));
  CHECK((fs::status(dir / "source/run_autograder").permissions() & fs::perms::owner_exec) != fs::perms::none);
}

TEST_CASE("run_autograder writes results.json for a graded submission and when grading cannot run") {
  fs::path dir = kWork / "package";
  REQUIRE(fs::exists(dir / "source/run_autograder"));  // made by the test case above
  fs::path root = kWork / "autograder-root";
  fs::remove_all(root);
  copy_tree(kCorpus / "full-marks" / "submission", root / "submission");
  std::string script = shell_quote((dir / "source/run_autograder").string());
  std::string common = "AUTOGRADER_ROOT=" + shell_quote(root.string()) +
                       " GOC_COURSE_ROOT=" + shell_quote(GRADER_FIXTURE_ROOT);
  std::string args = "--cache " + (fs::path(GRADER_TEST_CACHE)).string() + " --work " +
                     (kWork / "autograder-work").string() + " --only 01-basics/01-sum --timeout 5 -q";
  env_run(common + " GOC_GRADER=" + shell_quote(GRADER_BINARY) + " GOC_GRADE_ARGS=" + shell_quote(args), script);
  auto graded = read_json(root / "results/results.json");
  CHECK(graded["score"].get<double>() == Approx(10));
  CHECK(graded["tests"].size() == 5);

  env_run(common + " GOC_GRADER=/nonexistent/goc-grader", script);
  auto missing = read_json(root / "results/results.json");
  CHECK(missing["score"].get<double>() == 0);
  CHECK(contains(missing["output"].get<std::string>(), "not installed"));

  env_run(common + " GOC_GRADER=/bin/false", script);
  auto failed = read_json(root / "results/results.json");
  CHECK(failed["score"].get<double>() == 0);
  CHECK(contains(failed["output"].get<std::string>(), "stopped with status 1"));
}

TEST_CASE("a grader killed half-way still leaves a results.json that scores 0 and blames the grader") {
  fs::path out = kWork / "killed-grader";
  fs::remove_all(out);
  std::string command = shell_quote(GRADER_BINARY) + " --root " + shell_quote(GRADER_FIXTURE_ROOT) +
                        " grade " + shell_quote((kCorpus / "infinite-loop" / "submission").string()) +
                        " --cache " + shell_quote(GRADER_TEST_CACHE) + " --work " +
                        shell_quote((kWork / "killed-grader-work").string()) + " --out " +
                        shell_quote(out.string()) + " --only 01-basics/02-counter --timeout 30 -q";
  // The endless loop keeps it grading for 30 s; it is killed once that
  // program runs (at most a minute later).
  const std::string program = "pgrep -f 'killed-grader-wor[k]/.*ex_01_02_student_[a-z]* --reporter'";
  auto r = testing::sh(command + " & pid=$!; for i in $(seq 600); do " + program +
                       " >/dev/null && break; sleep 0.1; done; " + program +
                       " >/dev/null && echo 'the program ran'; kill -9 $pid; wait $pid; exit 0");
  INFO(r.output);
  REQUIRE(contains(r.output, "the program ran"));
  REQUIRE(fs::exists(out / "results.json"));
  auto json = read_json(out / "results.json");
  CHECK(json["score"].get<double>() == 0);
  CHECK(json["extra_data"]["internal_error"] == true);
  CHECK(contains(json["output"].get<std::string>(), "not the student's fault"));
  // Its endless-looping test program went with it (the program's uid had
  // changed since it asked to follow its leader: follow_the_leader_again()
  // in sandbox/leader.cpp).
  auto left = testing::sh("for i in $(seq 20); do " + program + " || exit 0; sleep 0.3; done");
  CHECK(trim(left.output).empty());
}

TEST_CASE("a release has no solutions or hidden tests, and has skeletons, a student README and a Classroom workflow") {
  fs::path out = kWork / "release";
  // --allow-dirty: this test is about what a release holds, not about a
  // developer's uncommitted edits (release_from_git.sh tests those).
  release_course(GRADER_FIXTURE_ROOT, out, ReleaseOptions{.force = true, .allow_dirty = true});
  CHECK_FALSE(fs::exists(out / "solutions"));
  CHECK_FALSE(fs::exists(out / "hidden"));
  CHECK(read_file(out / "exercises/01-basics/01-sum/sum.cpp") ==
        read_file(fs::path(GRADER_FIXTURE_ROOT) / "exercises/01-basics/01-sum/sum.cpp"));
  CHECK(fs::exists(out / ".course-skeletons/01-basics/01-sum/sum.cpp"));
  CHECK(fs::exists(out / ".course-release"));
  CHECK(contains(read_file(out / "README.md"), "./course watch"));
  std::string workflow = read_file(out / ".github/workflows/classroom.yml");
  CHECK(contains(workflow, "classroom-resources/autograding-command-grader@v1"));
  CHECK(contains(workflow, "      id: ex0101\n"));
  CHECK(contains(workflow, "command: ./course check 01-basics/01-sum"));
  CHECK(contains(workflow, "max-score: 6"));  // public + race points of the first exercise
  // The reporter reads `<runner>.trim().toUpperCase() + "_RESULTS"`.
  CHECK(contains(workflow, "        EX0101_RESULTS: \"${{steps.ex0101.outputs.result}}\"\n"));
  CHECK(contains(workflow, "        EX0102_RESULTS: \"${{steps.ex0102.outputs.result}}\"\n"));
  CHECK(contains(workflow, "runners: ex0101,ex0102\n"));
  CHECK_THROWS_AS(release_course(GRADER_FIXTURE_ROOT, out, ReleaseOptions{.allow_dirty = true}), UserError);
}

TEST_CASE("a release of a folder that is not in a git repository is refused with what to do") {
  fs::path course = kWork / "not-in-git";
  fs::remove_all(course);
  copy_tree(GRADER_FIXTURE_ROOT, course);
  // Outside any repository: GIT_CEILING_DIRECTORIES keeps git from finding
  // the one kWork itself may lie in.
  setenv("GIT_CEILING_DIRECTORIES", kWork.string().c_str(), 1);
  try {
    release_course(course, kWork / "not-in-git-release", ReleaseOptions{.force = true});
    FAIL("the release went ahead");
  } catch (const UserError& e) {
    CHECK(contains(e.what(), "git init && git add -A && git commit"));
  }
  unsetenv("GIT_CEILING_DIRECTORIES");
  CHECK_FALSE(fs::exists(kWork / "not-in-git-release"));
}

// ---------------------------------------------------------------------------
// The sandbox across grader processes and course folders.

#include <sys/stat.h>

#include <fstream>

namespace {

long parent_pid(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 1));
  char state;
  long ppid = 0;
  rest >> state >> ppid;
  return ppid;
}

// 1 when `pid` was started by this test process's own grader, 2 when by the
// goc-grader program it started, 0 when by neither (other graders on the host).
int started_by(long pid) {
  bool below_a_grader_program = false;
  for (long at = pid; at > 1; at = parent_pid(at)) {
    if (at == getpid()) return below_a_grader_program ? 2 : 1;
    std::ifstream comm("/proc/" + std::to_string(at) + "/comm");
    std::string name;
    std::getline(comm, name);
    below_a_grader_program |= name == "goc-grader";
  }
  return 0;
}

// The uid a process runs as now, or -1 once it is gone.
long uid_of(long pid) {
  struct stat st {};
  if (stat(("/proc/" + std::to_string(pid)).c_str(), &st) != 0) return -1;
  return st.st_uid;
}

// One look at the sandbox uids in use: each uid with the processes of each
// grader under it. A uid goes back to the pool when an exercise is graded,
// and the other grader may lease it next, so only processes alive in the
// same look can show a uid shared. A uid seen under both is looked at again
// after the sweep of /proc: a process seen early in it may have ended before
// the other grader's was seen. Returns the uids the two graders shared, and
// adds the graders seen to `graders`.
std::set<unsigned> sample_shared_uids(std::set<int>& graders) {
  std::map<unsigned, std::map<int, std::vector<long>>> by_uid;
  for (auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    long pid = std::stol(name), uid = uid_of(pid);
    if (uid < 0 || (uid != kNobodyId && static_cast<unsigned>(uid) < UidPool::kSlotUidBase)) continue;
    if (int by = started_by(pid); by != 0) {
      by_uid[static_cast<unsigned>(uid)][by].push_back(pid);
      graders.insert(by);
    }
  }
  std::set<unsigned> shared;
  for (auto& [uid, owners] : by_uid) {
    if (owners.size() < 2) continue;
    bool all_still_there = true;
    for (auto& [by, pids] : owners) {
      bool one_left = false;
      for (long pid : pids) one_left |= uid_of(pid) == uid;
      all_still_there &= one_left;
    }
    if (all_still_there) shared.insert(uid);
  }
  return shared;
}

}  // namespace

TEST_CASE("a second grader process at the same time on the same host gets uids of its own and full marks") {
  corpus();  // the fixture's instructor caches are ready
  if (!running_as_root()) {
    WARN("not root: student code runs as this user, uids are not switched");
    return;
  }
  fs::path second = kWork / "second-grader";
  fs::remove_all(second);
  RunOptions other;
  other.argv = {GRADER_BINARY, "--root", GRADER_FIXTURE_ROOT, "grade", (kCorpus / "full-marks" / "submission").string(),
                "--cache", GRADER_TEST_CACHE, "--work", (second / "work").string(), "--out",
                (second / "out").string(), "--timeout", "5", "-q"};
  other.timeout_seconds = 600;
  RunResult other_result;
  std::atomic<bool> done{false};
  std::thread other_grader([&] {
    other_result = run(other);
    done = true;
  });
  std::set<int> graders_seen;
  std::set<unsigned> shared;
  std::thread sampler([&] {
    while (!done) {
      for (unsigned uid : sample_shared_uids(graders_seen)) shared.insert(uid);
      usleep(20000);
    }
  });
  // Meanwhile this process grades a thread bomb and an honest submission.
  GradeOptions o;
  o.course_root = GRADER_FIXTURE_ROOT;
  o.cache_dir = GRADER_TEST_CACHE;
  o.work_dir = second / "ours";
  o.timeout_plain = 5;
  o.exercise_jobs = 2;
  o.quiet = true;
  o.check_symbols = false;
  o.sandbox.enabled = true;
  Grader ours(o);
  ours.prepare();
  auto bomb = ours.grade(kCorpus / "thread-bomb" / "submission", "thread-bomb", {"01-basics/01-sum"});
  auto honest = ours.grade(kCorpus / "full-marks" / "submission", "full-marks");
  other_grader.join();
  sampler.join();
  INFO("the second grader: " << other_result.describe_end(600) << "\n" << other_result.output);
  CHECK(other_result.ok());
  auto json = nlohmann::json::parse(read_file(second / "out" / "results.json"));
  CHECK(json["score"].get<double>() == Approx(20));
  CHECK(honest.score() == Approx(20));
  CHECK(bomb.score() == 0);
  CHECK(shared.empty());  // never both graders' programs under one uid at once
  CHECK(graders_seen == std::set<int>{1, 2});  // both were seen running sandboxed code
}

TEST_CASE("a thread bomb and honest submissions in a course folder only root can enter are refused up front") {
  if (!running_as_root()) {
    WARN("not root: student code runs as this user, so there is no root fallback to refuse");
    return;
  }
  fs::path home = kWork / "private-home";
  fs::remove_all(home);
  fs::create_directories(home);
  fs::permissions(home, fs::perms::owner_all);  // like a 0700 home folder
  copy_tree(GRADER_FIXTURE_ROOT, home / "course");
  copy_tree(kCorpus / "thread-bomb" / "submission", home / "submissions" / "bomber");
  copy_tree(kCorpus / "full-marks" / "submission", home / "submissions" / "honest");
  copy_tree(kCorpus / "partly-done" / "submission", home / "submissions" / "another");
  RunOptions o;
  o.argv = {GRADER_BINARY, "--root", (home / "course").string(), "grade-all", (home / "submissions").string(),
            "--cache", (home / "cache").string(), "--work", (home / "work").string(), "-q"};
  o.timeout_seconds = 300;
  RunResult r = run(o);
  INFO(r.describe_end(300) << "\n" << r.output);
  CHECK(r.exit_code != 0);
  CHECK(contains(r.output, "cannot grade safely"));
  CHECK(contains(r.output, "closed at " + home.string() + ")"));
  CHECK(contains(r.output, "chmod o+x"));
  CHECK(contains(r.output, "--unsafe-no-sandbox"));
  CHECK_FALSE(fs::exists(home / "cache" / "plain" / "CMakeCache.txt"));  // refused before building
  CHECK(r.seconds < 60);
}
