#include "testrun.hpp"

#include <unistd.h>

#include <csignal>

#include "diagnose.hpp"

namespace grader {

// Runs one test program in a fresh folder with a report path nobody can
// predict, under the sandbox; retries ThreadSanitizer start-up failures
// without address randomisation.
TestRun run_tests(const fs::path& binary, double timeout, const Sandbox& base, const fs::path& sandbox_root,
                  const std::vector<std::string>* only) {
  TestRun t;
  Sandbox sandbox = base;
  // The list lives beside the run folders, in a folder the student's code can
  // pass through but not write to.
  fs::path names_file;
  if (only) {
    names_file = sandbox_root / ("names-" + random_token(8) + ".txt");
    write_file(names_file, input_file_selecting(*only));
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    fs::path dir = sandbox_root / ("run-" + random_token(8));
    fs::create_directories(dir);
    // Run in place: a copy made here could still be open for writing in a
    // child another thread is forking, and exec would fail with ETXTBSY.
    const fs::path& exe = binary;
    fs::path report = dir / (random_token() + ".xml");
    if (sandbox.enabled && sandbox.drop_privileges && running_as_root()) {
      [[maybe_unused]] int rc = chown(dir.c_str(), sandbox.uid, kNobodyId);
    }
    RunOptions o;
    o.argv = {exe.string(), "--reporter", "xml", "--out", report.string(), "--durations", "yes",
              "--order", "decl"};
    if (only) {
      o.argv.push_back("--input-file");
      o.argv.push_back(names_file.string());
    }
    o.cwd = dir;
    o.env = clean_environment(dir);
    o.timeout_seconds = timeout;
    o.output_cap = 256 * 1024;
    o.sandbox = sandbox;
    sandbox.cpu_seconds = static_cast<int>(timeout) + 5;
    o.sandbox.cpu_seconds = static_cast<int>(timeout) + 5;
    t.run = run(o);
    std::string xml;
    std::error_code ec;
    if (fs::is_regular_file(report, ec) && fs::file_size(report, ec) < (32u << 20))
      xml = try_read_file(report).value_or("");
    t.report = parse_catch_xml(xml);
    fs::remove_all(dir, ec);
    if (!has_tsan_fatal(t.run.output)) break;
    if (attempt == 0) {
      sandbox.enabled = true;
      sandbox.no_aslr = true;  // what `setarch $(uname -m) -R` does
    }
  }
  if (has_tsan_fatal(t.run.output)) {
    t.host_error = true;
    t.host_advice = tsan_host_advice(t.run.output);
  }
  if (!names_file.empty()) {
    std::error_code ec;
    fs::remove(names_file, ec);
  }
  return t;
}

// Why a test case has no result: what ended the program before it reported.
std::string why_unfinished(const TestRun& t, double timeout, const fs::path& overlay_root) {
  const RunResult& r = t.run;
  std::string out = tidy_paths(r.output, overlay_root);
  if (r.memory_exceeded) return "the test program " + r.describe_end(timeout) + " (the limit is per test program)";
  if (r.timed_out) {
    std::string s = "the test program did not finish within " + format_points(timeout) +
                    " s and was stopped: probable deadlock (goroutines waiting for each other or "
                    "for a channel nobody sends on), or an endless loop";
    if (auto dump = deadlock_dump(out); !dump.empty()) s += "\n" + dump;
    return s;
  }
  if (auto dump = deadlock_dump(out); !dump.empty()) return "deadlock detected by the runtime:\n" + dump;
  if (auto p = panic_message(out); !p.empty()) return "the program stopped:\n" + p;
  if (!r.start_error.empty()) return "the test program could not start: " + r.start_error;
  if (r.signal == SIGXCPU) return "the test program used up its CPU time and was stopped: probable endless loop";
  if (r.signal) return "the test program crashed (" + r.describe_end(timeout) + ")";
  return "the test program ended (" + r.describe_end(timeout) +
         ") without reporting this test case: an early exit(), or text that imitates the test "
         "framework, earns nothing";
}

Evaluation evaluate(const std::vector<std::string>& expected, const TestRun& t, ItemKind kind,
                    double points, double timeout, const fs::path& overlay_root) {
  Evaluation ev;
  auto leaks = leaks_by_test(t.run.output);
  bool explained_end = false;
  for (auto& name : expected) {
    GradeItem item;
    item.name = name;
    item.kind = kind;
    item.max_score = expected.empty() ? 0 : points / static_cast<double>(expected.size());
    const CaseResult* found = nullptr;
    bool any_failed = false;
    for (auto& c : t.report.cases)
      if (c.name == name) {
        if (!found) found = &c;
        if (!c.passed) {
          any_failed = true;
          found = &c;
        }
      }
    if (!found) {
      if (!explained_end) {
        item.output = why_unfinished(t, timeout, overlay_root);
        explained_end = true;
      } else {
        item.output = "did not run: the test program ended before reaching this test case";
      }
    } else if (any_failed) {
      item.output = tidy_paths(found->message, overlay_root);
      item.seconds = found->seconds;
    } else if (auto l = leaks.find(name); l != leaks.end()) {
      item.output = "goroutine leak: goroutines started by this test were still running after it ended.\n" +
                    tidy_paths(l->second, overlay_root);
      ev.leaks = true;
      item.seconds = found->seconds;
    } else {
      item.passed = true;
      item.seconds = found->seconds;
    }
    if (item.passed) {
      item.score = item.max_score;
      ++ev.passed;
    } else {
      ev.all_passed = false;
      if (ev.first_problem.empty())
        ev.first_problem = "\"" + name + "\": " + split_lines(item.output + "\n").front();
    }
    ev.items.push_back(std::move(item));
  }
  return ev;
}

}  // namespace grader
