// check_notes: keeps a lesson's README honest about its examples.
//
//   check_notes <lesson-dir>
//
// The README is read on GitHub and in the Doxygen site, so its code is written
// out in fenced blocks. So that no block can drift away from the code that is
// compiled and run, every block of C++ (or Go) is announced by a marker that
// names the example file and a snippet tag:
//
//     <!-- snippet: examples/03-pitfall-loop-capture.cpp [capture-by-reference] -->
//     ```cpp
//     ...
//     ```
//
// and must equal, line for line, the region of that file between its two
// `//! [capture-by-reference]` lines (common indentation removed). These are the
// markers Doxygen's `\snippet` command understands.
//
// A block of program output may be announced the same way with
// `<!-- output: examples/<name>.expected -->`; its lines must then appear, in
// order and together, in that expected-output file (which the tests compare
// with what the program really prints).
//
// It also checks the rest of what the notes promise:
//   - the first line is a level-1 heading with an explicit label: `# Title {#label}`;
//   - no in-page anchor links `[text](#anchor)` (Doxygen 1.9.4 mishandles them);
//   - every relative link points at a file that exists;
//   - every example in <lesson-dir>/examples is mentioned by file name;
//   - every snippet tag in an example opens and closes exactly once;
//   - every exercise of the lesson in exercises/manifest.toml is named in the notes.
// It prints one line per problem and exits 1 if there was any.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

int problems = 0;

void problem(const std::string& where, const std::string& what) {
  std::printf("%s: %s\n", where.c_str(), what.c_str());
  ++problems;
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Removes the indentation every non-blank line shares.
std::vector<std::string> dedent(std::vector<std::string> lines) {
  std::size_t common = std::string::npos;
  for (const auto& l : lines) {
    if (trim(l).empty()) continue;
    common = std::min(common, l.find_first_not_of(' '));
  }
  if (common == std::string::npos) common = 0;
  for (auto& l : lines) l = trim(l).empty() ? "" : l.substr(common);
  return lines;
}

// The snippet regions of one example: tag -> lines between its two markers.
struct Regions {
  std::map<std::string, std::vector<std::string>> by_tag;
  bool read = false;
};

Regions regions_of(const fs::path& file, const std::string& shown_as) {
  Regions r;
  if (!fs::exists(file)) return r;
  r.read = true;
  static const std::regex marker(R"(^\s*//! \[([A-Za-z0-9_.-]+)\]\s*$)");
  std::map<std::string, int> seen;
  std::map<std::string, std::size_t> open_at;
  auto lines = read_lines(file);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, marker)) continue;
    std::string tag = m[1];
    int n = ++seen[tag];
    if (n == 1) {
      open_at[tag] = i;
    } else if (n == 2) {
      std::vector<std::string> body(lines.begin() + open_at[tag] + 1, lines.begin() + i);
      r.by_tag[tag] = dedent(body);
    }
  }
  for (const auto& [tag, n] : seen) {
    if (n != 2)
      problem(shown_as, "snippet tag [" + tag + "] appears " + std::to_string(n) +
                            " times; it must open and close exactly once");
  }
  return r;
}

// The ids of the manifest's exercises whose lesson is `lesson`.
std::vector<std::string> exercises_of(const fs::path& manifest, const std::string& lesson) {
  std::vector<std::string> ids;
  if (!fs::exists(manifest)) return ids;
  static const std::regex key_value(R"re(^\s*(id|lesson)\s*=\s*"([^"]*)")re");
  std::string id, of_lesson;
  auto flush = [&] {
    if (!id.empty() && of_lesson == lesson) ids.push_back(id);
    id.clear();
    of_lesson.clear();
  };
  for (const auto& line : read_lines(manifest)) {
    std::smatch m;
    if (trim(line) == "[[exercise]]") flush();
    else if (std::regex_search(line, m, key_value)) (m[1] == "id" ? id : of_lesson) = m[2];
  }
  flush();
  return ids;
}

void check_lesson(const fs::path& dir) {
  const fs::path readme = dir / "README.md";
  const std::string name = readme.string();
  if (!fs::exists(readme)) {
    problem(name, "missing");
    return;
  }
  auto lines = read_lines(readme);
  static const std::regex heading(R"(^# .+ \{#[A-Za-z0-9_]+\}\s*$)");
  if (lines.empty() || !std::regex_match(lines[0], heading))
    problem(name + ":1", "must start with a level-1 heading carrying a label: # Title {#label}");

  static const std::regex snippet_marker(
      R"(^<!-- snippet: ([^ ]+) \[([A-Za-z0-9_.-]+)\] -->\s*$)");
  static const std::regex output_marker(R"(^<!-- output: ([^ ]+) -->\s*$)");
  static const std::regex fence_open(R"(^```([A-Za-z0-9+]*)\s*$)");
  static const std::regex link(R"(\]\(([^)]+)\))");
  std::map<std::string, Regions> cache;
  std::string text_outside_code;

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = name + ":" + std::to_string(i + 1);
    std::smatch m;
    if (std::regex_match(lines[i], m, snippet_marker)) {
      std::string file = m[1], tag = m[2];
      std::size_t f = i + 1;
      std::smatch fm;
      if (f >= lines.size() || !std::regex_match(lines[f], fm, fence_open)) {
        problem(where, "a snippet marker must be followed directly by a fenced code block");
        continue;
      }
      std::vector<std::string> block;
      std::size_t end = f + 1;
      while (end < lines.size() && trim(lines[end]) != "```") block.push_back(lines[end++]);
      if (end >= lines.size()) {
        problem(where, "code block is not closed");
        return;
      }
      if (!cache.count(file)) cache[file] = regions_of(dir / file, (dir / file).string());
      const Regions& r = cache[file];
      if (!r.read) {
        problem(where, "snippet source " + file + " does not exist");
      } else if (!r.by_tag.count(tag)) {
        problem(where, "no region [" + tag + "] in " + file);
      } else if (r.by_tag.at(tag) != block) {
        const auto& want = r.by_tag.at(tag);
        std::size_t k = 0;
        while (k < want.size() && k < block.size() && want[k] == block[k]) ++k;
        problem(where, "code block differs from " + file + " [" + tag + "] at its line " +
                           std::to_string(k + 1) + ":\n  README : " +
                           (k < block.size() ? block[k] : "(ends)") + "\n  example: " +
                           (k < want.size() ? want[k] : "(ends)"));
      }
      i = end;
      continue;
    }
    if (std::regex_match(lines[i], m, output_marker)) {
      std::string file = m[1];
      std::size_t f = i + 1;
      if (f >= lines.size() || !std::regex_match(lines[f], fence_open)) {
        problem(where, "an output marker must be followed directly by a fenced block");
        continue;
      }
      std::vector<std::string> block;
      std::size_t end = f + 1;
      while (end < lines.size() && trim(lines[end]) != "```") block.push_back(lines[end++]);
      if (!fs::exists(dir / file)) {
        problem(where, "output file " + file + " does not exist");
      } else {
        auto real = read_lines(dir / file);
        bool found = false;
        for (std::size_t s = 0; !found && s + block.size() <= real.size(); ++s)
          found = std::equal(block.begin(), block.end(), real.begin() + s);
        if (!found) problem(where, "these lines do not appear together in " + file);
      }
      i = end;
      continue;
    }
    if (std::regex_match(lines[i], m, fence_open)) {
      std::string lang = m[1];
      if (lang != "sh" && lang != "console" && lang != "text")
        problem(where, "a ```" + lang +
                           " block must be cut from an example: put a snippet marker above it");
      std::size_t end = i + 1;
      while (end < lines.size() && trim(lines[end]) != "```") ++end;
      i = end;
      continue;
    }
    text_outside_code += lines[i] + "\n";
    static const std::regex code_span("`[^`]*`");
    const std::string prose = std::regex_replace(lines[i], code_span, "``");
    for (auto it = std::sregex_iterator(prose.begin(), prose.end(), link);
         it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      if (target.rfind("#", 0) == 0) {
        problem(where, "in-page anchor link (" + target + ") breaks in Doxygen 1.9.4; use \\ref or plain text");
        continue;
      }
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0) continue;
      std::string path = target.substr(0, target.find('#'));
      if (!path.empty() && !fs::exists(dir / path))
        problem(where, "link to a missing file: " + target);
    }
  }

  // Every example is taught: its file name appears in the notes.
  if (fs::exists(dir / "examples")) {
    std::set<std::string> examples;
    for (const auto& e : fs::directory_iterator(dir / "examples"))
      if (e.path().extension() == ".cpp") examples.insert(e.path().filename().string());
    for (const auto& e : examples) {
      if (text_outside_code.find(e) == std::string::npos)
        problem(name, "example " + e + " is never mentioned in the notes");
      std::string key = "examples/" + e;  // check its tags, once
      if (!cache.count(key)) cache[key] = regions_of(dir / key, (dir / key).string());
    }
  }

  // The exercises section lists every exercise of this lesson.
  const fs::path lesson_dir = fs::absolute(dir).lexically_normal();
  const std::string lesson = (lesson_dir.has_filename() ? lesson_dir : lesson_dir.parent_path())
                                 .filename()
                                 .string();
  const fs::path manifest = lesson_dir / ".." / ".." / "exercises" / "manifest.toml";
  std::string all_text;
  for (const auto& l : lines) all_text += l + "\n";
  for (const auto& id : exercises_of(manifest, lesson)) {
    if (all_text.find(id) == std::string::npos)
      problem(name, "exercise " + id + " (exercises/manifest.toml) is not listed in the notes");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: check_notes <lesson-dir>...\n");
    return 2;
  }
  for (int i = 1; i < argc; ++i) check_lesson(argv[i]);
  if (problems == 0) std::printf("notes and examples agree\n");
  return problems == 0 ? 0 : 1;
}
