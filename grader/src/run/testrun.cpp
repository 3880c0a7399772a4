#include "testrun.hpp"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <map>
#include <regex>

#include "diagnose.hpp"

namespace grader {

namespace {

// ThreadSanitizer failed before main: its FATAL line, no report begun, and the
// program ended by exiting (the student's code can print that line too, but
// it cannot end the program before Catch2 starts without a signal: exit and
// its kin are refused by the symbol check).
bool tsan_could_not_start(const RunResult& r) {
  return has_tsan_fatal(r.output) && r.report.empty() && r.signal == 0 && !r.timed_out;
}

}  // namespace

std::string progress_line(const RunWatch& watch, double seconds, double timeout) {
  std::string what = watch.label.empty() ? "the test program" : watch.label;
  if (!watch.variant.empty()) what += " (" + watch.variant + " run)";
  return "still running: " + what + ", " + std::to_string(static_cast<long>(seconds)) + " s of " +
         format_points(timeout) + " s";
}

// Runs one test program in a fresh folder under the sandbox, its report sent
// through a pipe the grader reads (fd 3), never a file; retries
// ThreadSanitizer start-up failures without address randomisation.
TestRun run_tests(const fs::path& binary, double timeout, const Sandbox& base, const fs::path& sandbox_root,
                  const std::vector<std::string>* only, const RunWatch& watch) {
  TestRun t;
  t.variant = watch.variant;
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
    if (sandbox.enabled && sandbox.drop_privileges && running_as_root()) {
      [[maybe_unused]] int rc = chown(dir.c_str(), sandbox.uid, kNobodyId);
    }
    RunOptions o;
    o.argv = {exe.string(), "--reporter", "xml", "--out", "/dev/fd/" + std::to_string(kReportFd),
              "--durations", "yes", "--order", "decl"};
    o.capture_report_fd = true;
    if (only) {
      o.argv.push_back("--input-file");
      o.argv.push_back(names_file.string());
    }
    o.cwd = dir;
    o.env = clean_environment(dir);
    if (!watch.schedule.empty()) o.env.push_back("GOC_SCHEDULE=" + watch.schedule);
    if (!watch.trace_file.empty()) o.env.push_back("GOC_TRACE=" + watch.trace_file);
    o.timeout_seconds = timeout;
    o.quit_signal = kDumpSignal;
    o.quit_grace_seconds = kDumpGraceSeconds;
    o.cancel = watch.cancel;
    if (watch.progress) {
      o.tick_seconds = watch.every;
      o.on_tick = [&](double seconds) { watch.progress(progress_line(watch, seconds, timeout)); };
    }
    o.output_cap = 256 * 1024;
    o.sandbox = sandbox;
    sandbox.cpu_seconds = static_cast<int>(timeout) + 5;
    o.sandbox.cpu_seconds = static_cast<int>(timeout) + 5;
    t.run = run(o);
    t.report = parse_catch_xml(t.run.report);
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (!tsan_could_not_start(t.run)) break;
    if (attempt == 0) {
      sandbox.enabled = true;
      sandbox.no_aslr = true;  // what `setarch $(uname -m) -R` does
    }
  }
  if (tsan_could_not_start(t.run)) {
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
    std::string run = t.variant.empty() ? "the test program" : "the test program's " + t.variant + " run";
    std::string s = run + " did not finish within its limit of " + format_points(timeout) +
                    " s and was stopped after " + std::to_string(std::lround(r.seconds)) +
                    " s: probable deadlock (goroutines waiting for each other or for a channel nobody "
                    "sends on), or an endless loop";
    if (auto dump = time_limit_dump(out); !dump.empty())
      s += ". Every goroutine when the time ran out:\n" + dump;
    else if (auto dump = deadlock_dump(out); !dump.empty())
      s += "\n" + dump;
    return s;
  }
  if (r.cancelled) return "not run to the end: " + r.describe_end(timeout);
  if (auto dump = deadlock_dump(out); !dump.empty()) return "deadlock detected by the runtime:\n" + dump;
  if (auto p = panic_message(out); !p.empty()) return "the program stopped:\n" + p;
  if (!r.start_error.empty()) return "the test program could not start: " + r.start_error;
  if (r.signal == SIGXCPU) return "the test program used up its CPU time and was stopped: probable endless loop";
  if (r.signal) return "the test program crashed (" + r.describe_end(timeout) + ")";
  return "the test program ended (" + r.describe_end(timeout) +
         ") without reporting this test case: an early exit(), or text that imitates the test "
         "framework, earns nothing";
}

bool race_reported(const TestRun& t) {
  return t.run.exit_code == test_exit::raced || has_tsan_warning(t.run.output);
}

bool race_text_hidden(const TestRun& t) {
  return t.run.exit_code == test_exit::raced && !has_tsan_warning(t.run.output);
}

namespace {

// Exit status 3 says goroutines leaked; the lines naming the test cases (and
// the summary that counts them) come on stderr, which the program can close.
bool leak_text_hidden(const std::string& output, const std::map<std::string, std::string>& leaks) {
  static const std::regex summary(R"re(goroutine leak check: ([0-9]+) test case\(s\) left goroutines running)re");
  std::smatch m;
  if (!std::regex_search(output, m, summary)) return true;
  return leaks.size() < std::stoul(m[1].str());
}

// One test case of a report the grader believes.
void judge_reported(GradeItem& item, const CaseResult& c, const std::map<std::string, std::string>& leaks,
                    bool leak_hidden, const fs::path& overlay_root, Evaluation& ev) {
  item.seconds = c.seconds;
  if (!c.passed) {
    item.output = tidy_paths(c.message, overlay_root);
  } else if (auto l = leaks.find(item.name); l != leaks.end()) {
    item.output = "goroutine leak: goroutines started by this test were still running after it ended.\n" +
                  tidy_paths(l->second, overlay_root);
    ev.leaks = true;
  } else if (leak_hidden) {
    item.output = "goroutine leak: the test program reported leaked goroutines (exit status 3), but hid "
                  "the report text, so no test case of this run counts as passed";
    ev.leaks = true;
  } else {
    item.passed = true;
  }
}

// Why a test case of a report the grader does not believe has failed.
std::string why_not_believed(const ReportCheck& check, const TestRun& t, bool first, double timeout,
                             const fs::path& overlay_root) {
  if (check.trust == ReportCheck::Trust::tampered)
    return "the test program's report was tampered with or incomplete: " + check.why;
  if (first) return why_unfinished(t, timeout, overlay_root);
  return "no result: the test program ended before its report was complete";
}

const CaseResult* find_case(const CatchRun& report, const std::string& name) {
  for (auto& c : report.cases)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

Evaluation evaluate(const std::vector<std::string>& expected, const TestRun& t, ItemKind kind,
                    double points, double timeout, const fs::path& overlay_root) {
  Evaluation ev;
  const RunResult& r = t.run;
  bool exited = r.start_error.empty() && !r.timed_out && r.signal == 0 && r.exit_code >= 0;
  ReportCheck check = cross_check(t.report, expected, exited, r.exit_code);
  auto leaks = leaks_by_test(r.output);
  bool leak_hidden = check.leaked && leak_text_hidden(r.output, leaks);
  std::vector<double> shares = split_points(points, expected.size());
  for (auto& name : expected) {
    GradeItem item;
    item.name = name;
    item.kind = kind;
    item.max_score = shares[ev.items.size()];
    if (check.trust == ReportCheck::Trust::believed)
      judge_reported(item, *find_case(t.report, name), leaks, leak_hidden, overlay_root, ev);
    else
      item.output = why_not_believed(check, t, ev.items.empty(), timeout, overlay_root);
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
