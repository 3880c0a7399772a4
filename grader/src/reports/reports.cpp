#include "reports.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

#include "schedules.hpp"

namespace grader {

namespace {

std::string kind_word(ItemKind k) {
  switch (k) {
    case ItemKind::public_test: return "public";
    case ItemKind::hidden_test: return "hidden";
    case ItemKind::race: return "race";
  }
  return "";
}

std::string fraction(int passed, int total) {
  if (total == 0) return "-";
  return std::to_string(passed) + "/" + std::to_string(total);
}

std::string points(const ExerciseResult& e) {
  return format_points(e.score()) + "/" + format_points(e.max_score());
}

struct Row {
  std::vector<std::string> cells;
  std::string status;
  std::string note;
};

// Whether the exercise's test programs ran (it was submitted, built and not refused).
bool tests_ran(const ExerciseResult& e) {
  return e.status != "not submitted" && e.status != "not graded" && e.status != "compile error" &&
         e.status != "grader error" && e.status != "refused" && e.status != "host problem";
}

std::vector<Row> rows_of(const SubmissionResult& s) {
  std::vector<Row> rows;
  for (auto& e : s.exercises) {
    Row r;
    bool graded = tests_ran(e);
    r.cells = {e.exercise->id, graded ? fraction(e.public_passed, e.public_total) : "-",
               graded ? fraction(e.hidden_passed, e.hidden_total) : "-", e.races, e.leaks ? "yes" : "no",
               points(e)};
    r.status = e.status;
    r.note = e.full_summary.empty() ? e.summary : e.full_summary;  // the table is the instructor's
    rows.push_back(r);
  }
  return rows;
}

const std::vector<std::string> kHeader = {"Exercise", "Public", "Hidden", "Races", "Leaks", "Points"};

std::string md_escape(std::string s) {
  s = replace_all(std::move(s), "|", "\\|");
  return replace_all(std::move(s), "\n", " ");
}

// `text` as a Markdown code span, fenced by more backticks than it holds in a row.
std::string code_span(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string pad = contains(text, "`") ? " " : "";
  return fence + pad + text + pad + fence;
}

std::string fenced(const std::string& text) {
  std::string fence = "```";
  while (contains(text, fence)) fence += "`";
  return fence + "text\n" + text + (ends_with(text, "\n") ? "" : "\n") + fence + "\n";
}

}  // namespace

std::string terminal_table(const SubmissionResult& s, const Colors& c) {
  auto rows = rows_of(s);
  std::vector<std::size_t> width(kHeader.size());
  for (std::size_t i = 0; i < kHeader.size(); ++i) width[i] = kHeader[i].size();
  for (auto& r : rows)
    for (std::size_t i = 0; i < r.cells.size(); ++i) width[i] = std::max(width[i], r.cells[i].size());
  std::ostringstream out;
  out << c.bold("Grade for " + s.name) << "\n";
  if (!s.rejected.empty()) out << c.red("Submission refused: " + s.rejected) << "\n";
  std::string header;
  for (std::size_t i = 0; i < kHeader.size(); ++i) header += pad(kHeader[i], width[i] + 2);
  out << c.bold(header + "Status") << "\n";
  for (auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.cells.size(); ++i) line += pad(r.cells[i], width[i] + 2);
    std::string status = r.status == "passed" ? c.green(r.status)
                         : (r.status == "not submitted" || r.status == "incomplete" || r.status == "host problem") ? c.yellow(r.status)
                                                                                      : c.red(r.status);
    out << line << status << "\n";
    if (r.status != "passed" && !r.note.empty()) out << c.dim("    " + cap_text(r.note, 200)) << "\n";
  }
  std::string total = format_points(s.score()) + "/" + format_points(s.max_score());
  std::size_t before = 0;
  for (std::size_t i = 0; i + 1 < width.size(); ++i) before += width[i] + 2;
  out << c.bold(pad("Total", before) + total) << "\n";
  if (s.host_problem)
    out << c.yellow("Grading is incomplete because of a problem of this machine (see report.md); "
                    "it is not the submission's fault.")
        << "\n";
  return out.str();
}

namespace {

// A failed item as the reader may see it: a hidden test's text and output
// wait until grades are published (they are in results.json for then).
std::string item_heading(const GradeItem& i, Audience audience, bool show_hidden_names) {
  std::string name = i.name;
  if (i.kind == ItemKind::hidden_test && audience == Audience::student && !show_hidden_names)
    name = "a hidden test";
  return "- **" + md_escape(name) + "** (" + kind_word(i.kind) + ", " + format_points(i.score) + "/" +
         format_points(i.max_score) + ")\n\n";
}

std::string item_body(const GradeItem& i, Audience audience) {
  std::string text = i.output;
  if (i.kind == ItemKind::hidden_test && audience == Audience::student)
    text = "Hidden tests show what went wrong after grades are published.";
  if (text.empty()) return "";
  std::string indented;
  for (auto& line : split_lines(fenced(cap_text(text, 3000)))) indented += "  " + line + "\n";
  return indented + "\n";
}

// The failing test an instructor would trace first: a hidden one (a student
// can trace the public tests with `./course trace`), else a public one.
const GradeItem* test_to_trace(const ExerciseResult& e) {
  const GradeItem* first_public = nullptr;
  for (const GradeItem& i : e.items) {
    if (i.passed || i.kind == ItemKind::race) continue;
    if (i.kind == ItemKind::hidden_test) return &i;
    if (!first_public) first_public = &i;
  }
  return first_public;
}

// For the instructor's report: the command that traces the run of the list
// holding the exercise's failing test (as grading ran it, under the schedule
// it failed under, so that a seeded failure replays), or nothing.
std::string trace_line(const SubmissionResult& s, const ExerciseResult& e) {
  const GradeItem* item = s.source.empty() || !tests_ran(e) ? nullptr : test_to_trace(e);
  if (!item) return "";
  std::string list = kind_word(item->kind);
  std::string where = item->schedule.empty() ? "" : " under the seeded schedule " + item->schedule;
  return "- Trace: " + code_span(submission_trace_command(e.exercise->id, s.source, list, item->schedule)) +
         " draws what each goroutine did in the run of the " + list + " tests" + where + ", where \"" +
         md_escape(item->name) + "\" failed.\n";
}

void exercise_section(std::ostringstream& md, const SubmissionResult& s, const ExerciseResult& e,
                      Audience audience) {
  md << "## " << e.exercise->id << ": " << e.exercise->title << "\n\n";
  const std::string& summary = audience == Audience::instructor && !e.full_summary.empty() ? e.full_summary : e.summary;
  md << "**" << points(e) << "**, " << e.status << ".";
  if (e.status != "passed" && !summary.empty()) md << " " << md_escape(cap_text(summary, 300));
  md << "\n\n";
  for (auto& n : e.notes) md << "- Note: " << n << "\n";
  std::string trace = audience == Audience::instructor ? trace_line(s, e) : "";
  md << trace;
  if (!e.notes.empty() || !trace.empty()) md << "\n";
  if (e.status == "compile error") {
    md << "Your code did not compile; the compiler said:\n\n" << fenced(e.details) << "\n";
    return;
  }
  if (e.status == "refused") {
    md << "Your file was not linked into the tests, because the grader's check of what student code "
          "may use refused it:\n\n" << fenced(e.details) << "\n";
    return;
  }
  if (e.status == "not submitted" || e.status == "not graded") return;
  bool any_failed = false;
  for (auto& i : e.items) {
    if (i.passed) continue;
    if (!any_failed) md << "What did not pass:\n\n";
    any_failed = true;
    md << item_heading(i, audience, s.show_hidden_names) << item_body(i, audience);
  }
  if (!any_failed) md << "Every test passed, and ThreadSanitizer found no race.\n\n";
  if (!e.details.empty() && e.status != "data race")
    md << "Details:\n\n" << fenced(cap_text(e.details, 4000)) << "\n";
  if (!e.hidden_details.empty() && audience == Audience::instructor)
    md << "Details from the hidden tests:\n\n" << fenced(cap_text(e.hidden_details, 4000)) << "\n";
}

// Where each graded file was found, and why a file of a student file's name
// was not taken: what a student needs when an exercise says "not submitted".
std::string files_found_section(const SubmissionResult& s) {
  if (s.found.empty() && s.notes.empty()) return "";
  std::string md = "## Where your files were found\n\n";
  for (auto& line : s.found) md += "- " + md_escape(line) + "\n";
  for (auto& note : s.notes) md += "- Note: " + md_escape(note) + "\n";
  return md + "\n";
}

}  // namespace

std::string report_markdown(const SubmissionResult& s, Audience audience) {
  std::ostringstream md;
  md << "# Grade report: " << s.name << (audience == Audience::instructor ? " (instructor's copy)" : "") << "\n\n";
  md << "**Score: " << format_points(s.score()) << " / " << format_points(s.max_score()) << "**\n\n";
  if (!s.rejected.empty()) md << "> **The submission was refused:** " << s.rejected << "\n\n";
  if (s.host_problem)
    md << "> **Grading is incomplete** because of a problem of the grading machine (see the exercises marked "
          "\"host problem\" or \"incomplete\"). This is not a problem of your code; your instructor will re-grade.\n\n";
  md << "| Exercise | Public tests | Hidden tests | Race detector | Leaks | Points | Status |\n";
  md << "|---|---|---|---|---|---|---|\n";
  for (auto& r : rows_of(s)) {
    md << "|";
    for (auto& cell : r.cells) md << " " << md_escape(cell) << " |";
    md << " " << r.status << " |\n";
  }
  md << "\n";
  for (auto& e : s.exercises) exercise_section(md, s, e, audience);
  md << files_found_section(s);
  if (s.ignored_total > 0) {
    md << "## Files that were not graded\n\n"
          "Only the files each exercise names are taken from a submission; the rest (tests, "
          "build files, notes) is replaced by the course's own or ignored:\n\n";
    for (auto& f : s.ignored) md << "- `" << f << "`\n";
    if (s.ignored_total > s.ignored.size())
      md << "- ... and " << (s.ignored_total - s.ignored.size()) << " more\n";
    md << "\n";
  }
  md << "_Graded in " << format_points(static_cast<int>(s.seconds * 10) / 10.0) << " s";
  if (audience == Audience::instructor && !s.compiler.empty())
    md << ", compiled with `" << s.compiler.string() << "` (`--compiler` chooses another)";
  md << "._\n";
  return valid_utf8(md.str());
}

std::string submission_trace_command(const std::string& exercise_id, const fs::path& submission,
                                     const std::string& list, const std::string& schedule) {
  std::string command = "./course trace " + shell_quote(exercise_id) + " --submission " +
                        shell_quote(fs::absolute(submission).lexically_normal().string());
  if (!list.empty()) command += " --list " + list;
  if (!schedule.empty()) command += " " + replay_option(schedule);
  return command;
}

std::string results_json(const SubmissionResult& s) {
  using nlohmann::json;
  json tests = json::array();
  std::size_t ex_number = 0;
  for (auto& e : s.exercises) {
    ++ex_number;
    std::size_t item_number = 0;
    for (auto& i : e.items) {
      ++item_number;
      json t;
      t["name"] = valid_utf8(e.exercise->id + ": " + i.name);
      t["number"] = std::to_string(ex_number) + "." + std::to_string(item_number);
      t["score"] = i.score;
      t["max_score"] = i.max_score;
      t["status"] = i.passed ? "passed" : "failed";
      t["output"] = valid_utf8(cap_text(i.output, i.kind == ItemKind::hidden_test ? kHiddenOutputCap : 8000));
      t["output_format"] = "text";
      t["tags"] = json::array({e.exercise->id, kind_word(i.kind)});
      t["visibility"] = i.kind == ItemKind::hidden_test ? "after_published" : "visible";
      tests.push_back(t);
    }
  }
  json out;
  out["score"] = s.score();
  out["execution_time"] = static_cast<int>(s.seconds + 0.5);
  std::string summary = "Score " + format_points(s.score()) + " / " + format_points(s.max_score()) + "\n\n";
  if (!s.rejected.empty()) summary += "The submission was refused: " + s.rejected + "\n\n";
  if (s.host_problem)
    summary += "Grading is incomplete: ThreadSanitizer could not run on the grading machine (not your fault).\n\n";
  for (auto& e : s.exercises)
    summary += "- " + e.exercise->id + ": " + points(e) + ", " + e.status +
               (e.status != "passed" && !e.summary.empty() ? " (" + md_escape(cap_text(e.summary, 200)) + ")" : "") + "\n";
  if (std::string files = files_found_section(s); !files.empty()) summary += "\n" + files;
  summary = valid_utf8(summary);
  out["output"] = summary;
  out["output_format"] = "md";
  out["visibility"] = "visible";
  out["stdout_visibility"] = "hidden";
  out["extra_data"] = {{"grader", "goc-grader"}, {"host_problem", s.host_problem},
                       {"ignored_files", s.ignored_total}};
  out["tests"] = tests;
  // Program output is made valid UTF-8 before it gets here; `replace` keeps a
  // byte that slipped through from stopping the file being written at all.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string junit_xml(const SubmissionResult& s) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto suites = doc.append_child("testsuites");
  suites.append_attribute("name") = xml_text(s.name).c_str();
  int all_tests = 0, all_failures = 0;
  for (auto& e : s.exercises) {
    auto suite = suites.append_child("testsuite");
    int failures = 0;
    double time = 0;
    for (auto& i : e.items) {
      failures += !i.passed;
      time += i.seconds;
    }
    suite.append_attribute("name") = e.exercise->id.c_str();
    suite.append_attribute("tests") = static_cast<int>(e.items.size());
    suite.append_attribute("failures") = failures;
    suite.append_attribute("errors") = 0;
    suite.append_attribute("skipped") = 0;
    suite.append_attribute("time") = time;
    all_tests += static_cast<int>(e.items.size());
    all_failures += failures;
    for (auto& i : e.items) {
      auto tc = suite.append_child("testcase");
      tc.append_attribute("classname") = (e.exercise->id + "." + kind_word(i.kind)).c_str();
      tc.append_attribute("name") = xml_text(i.name).c_str();
      tc.append_attribute("time") = i.seconds;
      if (!i.passed) {
        auto f = tc.append_child("failure");
        std::string first = split_lines(i.output + "\n").front();
        f.append_attribute("message") = xml_text(first).c_str();
        f.append_attribute("type") = e.status.c_str();
        f.text().set(xml_text(cap_text(i.output, 8000)).c_str());
      }
      auto so = tc.append_child("system-out");
      so.text().set(("score " + format_points(i.score) + "/" + format_points(i.max_score)).c_str());
    }
  }
  suites.append_attribute("tests") = all_tests;
  suites.append_attribute("failures") = all_failures;
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

std::string gradebook_csv(const std::vector<SubmissionResult>& all, const std::vector<const Exercise*>& exercises) {
  auto cell = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    return "\"" + replace_all(s, "\"", "\"\"") + "\"";
  };
  std::string out = "student";
  for (auto* e : exercises) out += "," + cell(e->id);
  out += ",total,max,status\n";
  for (auto& s : all) {
    out += cell(s.name);
    for (auto* e : exercises) {
      std::string v = "0";
      for (auto& r : s.exercises)
        if (r.exercise && r.exercise->id == e->id) v = format_points(r.score());
      out += "," + v;
    }
    std::string status = !s.rejected.empty() ? "refused: " + s.rejected
                         : s.host_problem    ? "incomplete: host problem"
                                             : "graded";
    out += "," + format_points(s.score()) + "," + format_points(s.max_score()) + "," + cell(status) + "\n";
  }
  return out;
}

std::vector<std::string> write_reports(const SubmissionResult& s, const fs::path& dir) {
  std::vector<std::string> failed;
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto write_one = [&](const std::string& name, auto make) {
    try {
      write_file(dir / name, make());
    } catch (const std::exception& e) {
      failed.push_back(name + ": " + e.what());
    }
  };
  write_one("report.md", [&] { return report_markdown(s, Audience::student); });
  write_one("instructor-report.md", [&] { return report_markdown(s, Audience::instructor); });
  write_one("results.json", [&] { return results_json(s); });
  write_one("junit.xml", [&] { return junit_xml(s); });
  return failed;
}

std::string failure_results_json(const std::string& message) {
  nlohmann::json out;
  out["score"] = 0;
  out["output"] = "Internal error of the autograder, not the student's fault: it could not grade this "
                  "submission (" + valid_utf8(message) + ").\n\nPlease tell your instructor, who will re-grade.";
  out["extra_data"] = {{"grader", "goc-grader"}, {"internal_error", true}};
  out["output_format"] = "md";
  out["visibility"] = "visible";
  out["tests"] = nlohmann::json::array();
  return out.dump(2) + "\n";
}

}  // namespace grader
