#include "catch_report.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>

#include "util.hpp"

namespace grader {

namespace {

std::string where(const pugi::xml_node& n) {
  std::string file = n.attribute("filename").as_string();
  if (file.empty()) return "";
  return " at " + fs::path(file).filename().string() + ":" + n.attribute("line").as_string();
}

// Collects the reasons a test case failed, walking its sections.
void collect_failures(const pugi::xml_node& node, std::vector<std::string>& out,
                      std::vector<std::string>& infos) {
  for (auto child : node.children()) {
    std::string tag = child.name();
    if (tag == "Section") {
      std::vector<std::string> inner_infos = infos;
      collect_failures(child, out, inner_infos);
    } else if (tag == "Info") {
      infos.push_back(trim(child.text().as_string()));
    } else if (tag == "Expression" && !child.attribute("success").as_bool(true)) {
      std::string text = std::string(child.attribute("type").as_string()) + "( " +
                         trim(child.child("Original").text().as_string()) + " )" + where(child);
      std::string expanded = trim(child.child("Expanded").text().as_string());
      std::string original = trim(child.child("Original").text().as_string());
      if (!expanded.empty() && expanded != original) text += "\n  with expansion: " + expanded;
      if (auto ex = child.child("Exception")) text += "\n  threw: " + trim(ex.text().as_string());
      for (auto& i : infos) text += "\n  note: " + i;
      out.push_back(text);
    } else if (tag == "Exception") {
      out.push_back("unexpected exception" + where(child) + ": " + trim(child.text().as_string()));
    } else if (tag == "FatalErrorCondition") {
      out.push_back("fatal error" + where(child) + ": " + trim(child.text().as_string()));
    } else if (tag == "Failure") {
      out.push_back("FAIL" + where(child) + ": " + trim(child.text().as_string()));
    }
  }
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// How many report documents the text holds, and whether anything follows the
// first one's end. Catch2 escapes '<' in text and attribute values, so every
// "<Catch" (v2's <Catch>, v3's <Catch2TestRun>) and closing tag is markup.
void check_document_bounds(const std::string& xml, const std::string& root, CatchRun& run) {
  run.documents = static_cast<int>(std::max(count_of(xml, "<?xml"), count_of(xml, "<Catch")));
  auto end = xml.find("</" + root + ">");
  if (end == std::string::npos) return;
  end += root.size() + 3;
  run.trailing = xml.find_first_not_of(" \t\r\n", end) != std::string::npos;
}

// A complete report's test cases against the list it must hold: "" when
// each expected name is there exactly once and there is no other.
std::string compare_names(const CatchRun& report, const std::vector<std::string>& expected) {
  std::map<std::string, int> seen;
  for (auto& c : report.cases) ++seen[c.name];
  for (auto& name : expected) {
    auto it = seen.find(name);
    if (it == seen.end()) return "test case \"" + name + "\" is missing from the report";
    if (it->second > 1) return "test case \"" + name + "\" is reported " + std::to_string(it->second) + " times";
    seen.erase(it);
  }
  if (!seen.empty()) return "the report names a test case that was not run: \"" + seen.begin()->first + "\"";
  return "";
}

// Whether the test main's exit status can follow from a report that is
// otherwise believable: "" when it can.
std::string compare_status(const CatchRun& report, int exit_code) {
  bool any_failed = false;
  for (auto& c : report.cases) any_failed = any_failed || !c.passed;
  if (exit_code == test_exit::passed && any_failed)
    return "the report says a test case failed, but the program exited with status 0";
  if (exit_code == test_exit::failed && !any_failed)
    return "the report says every test case passed, but the program exited with status 1 (a failure)";
  if (exit_code != test_exit::passed && exit_code != test_exit::failed && exit_code != test_exit::leaked &&
      exit_code != test_exit::raced)
    return "the program exited with status " + std::to_string(exit_code) + ", which the test main never gives";
  return "";
}

}  // namespace

ReportCheck cross_check(const CatchRun& report, const std::vector<std::string>& expected, bool exited,
                        int exit_code) {
  ReportCheck check;
  auto tampered = [&](std::string why) {
    check.trust = ReportCheck::Trust::tampered;
    check.why = std::move(why);
    return check;
  };
  if (report.documents > 1) return tampered("it holds " + std::to_string(report.documents) + " reports");
  if (report.trailing) return tampered("something was written after the end of the report");
  if (!report.complete) return check;  // unfinished
  if (!exited) return tampered("the report is complete, but the program did not end by itself");
  if (auto why = compare_names(report, expected); !why.empty()) return tampered(why);
  if (auto why = compare_status(report, exit_code); !why.empty()) return tampered(why);
  check.trust = ReportCheck::Trust::believed;
  check.leaked = exit_code == test_exit::leaked;
  check.raced = exit_code == test_exit::raced;
  return check;
}

CatchRun parse_catch_xml(const std::string& xml) {
  CatchRun run;
  if (xml.empty()) return run;
  pugi::xml_document doc;
  // A report cut short by a crash does not parse to the end; pugixml keeps
  // what it read before the error, which is what we want.
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  auto catch_node = doc.child("Catch");
  if (!catch_node) catch_node = doc.child("Catch2TestRun");
  if (!catch_node) return run;
  run.readable = true;
  run.complete = parsed.status == pugi::status_ok &&
                 (bool)catch_node.child("OverallResults") ;
  check_document_bounds(xml, catch_node.name(), run);
  std::vector<pugi::xml_node> case_nodes;
  for (auto group : catch_node.children("Group"))
    for (auto tc : group.children("TestCase")) case_nodes.push_back(tc);
  for (auto tc : catch_node.children("TestCase")) case_nodes.push_back(tc);
  for (auto tc : case_nodes) {
    CaseResult c;
    c.name = tc.attribute("name").as_string();
    auto overall = tc.child("OverallResult");
    if (!overall) continue;  // cut off while running: it did not finish
    c.passed = overall.attribute("success").as_bool(false);
    c.seconds = overall.attribute("durationInSeconds").as_double(0);
    std::vector<std::string> failures, infos;
    collect_failures(tc, failures, infos);
    c.message = join(failures, "\n");
    if (!c.passed && c.message.empty()) c.message = "the test case failed";
    run.cases.push_back(std::move(c));
  }
  return run;
}

std::vector<std::string> parse_name_list(const std::string& output) {
  std::vector<std::string> names;
  for (auto& line : split_lines(output)) {
    if (line.empty()) continue;
    if (line.size() > 1 && line.front() == '"' && line.back() == '"')
      names.push_back(line.substr(1, line.size() - 2));
    else
      names.push_back(line);
  }
  return names;
}

std::string input_file_selecting(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    out += '"';
    for (char c : name) {
      if (c == '\\' || c == '"' || c == ',') out += '\\';
      out += c;
    }
    out += "\"\n";
  }
  return out;
}

std::vector<std::string> parse_xml_list(const std::string& output) {
  std::vector<std::string> names;
  pugi::xml_document doc;
  auto start = output.find('<');
  if (start == std::string::npos) return names;
  doc.load_buffer(output.data() + start, output.size() - start);
  for (auto tc : doc.select_nodes("//MatchingTests/TestCase"))
    names.push_back(trim(tc.node().child("Name").text().as_string()));
  return names;
}

}  // namespace grader
