#include "diagnose.hpp"

#include <functional>
#include <optional>
#include <regex>
#include <set>

namespace grader {

std::string tidy_paths(std::string text, const fs::path& overlay_root) {
  std::string root = overlay_root.string();
  if (!root.empty() && root.back() != '/') root += '/';
  return replace_all(std::move(text), root, "");
}

std::string explain_compile_errors(const std::string& raw, const fs::path& overlay_root) {
  std::string output = tidy_paths(raw, overlay_root);
  auto lines = split_lines(output);
  static const std::regex located(R"(^([^ :]+):(\d+):(\d+): (error|fatal error|warning|note): )");
  std::vector<std::string> blocks;
  std::string current;
  bool in_error = false;
  int errors = 0;
  for (auto& line : lines) {
    std::smatch m;
    if (std::regex_search(line, m, located)) {
      if (in_error && !current.empty()) blocks.push_back(current);
      current.clear();
      in_error = m[4] == "error" || m[4] == "fatal error";
      if (in_error) {
        ++errors;
        current = line + "\n";
      }
    } else if (in_error && (starts_with(line, " ") || starts_with(line, "\t"))) {
      current += line + "\n";
    } else if (contains(line, "undefined reference to") || contains(line, "multiple definition of")) {
      ++errors;
      blocks.push_back(trim(line) + "\n");
      in_error = false;
    } else {
      if (in_error && !current.empty()) blocks.push_back(current);
      current.clear();
      in_error = false;
    }
  }
  if (in_error && !current.empty()) blocks.push_back(current);
  if (blocks.empty()) return cap_text(output, 3000);
  constexpr std::size_t kShown = 5;
  std::string out;
  for (std::size_t i = 0; i < blocks.size() && i < kShown; ++i) out += blocks[i];
  if (blocks.size() > kShown)
    out += "[... " + std::to_string(blocks.size() - kShown) + " more errors]\n";
  return cap_text(out, 4000);
}

bool has_tsan_warning(const std::string& output) {
  return contains(output, "WARNING: ThreadSanitizer:");
}
bool has_tsan_fatal(const std::string& output) { return contains(output, "FATAL: ThreadSanitizer"); }

namespace {

struct Frame {
  std::string function, file;
  int line = 0;
};

std::optional<Frame> parse_frame(const std::string& line) {
  // "    #0 func(args) /path/file.cpp:14:7 (binary+0x1234)"
  static const std::regex frame(R"(^\s+#\d+ (.*) (\S+?):(\d+)(:\d+)? \(.*\)$)");
  std::smatch m;
  if (!std::regex_match(line, m, frame)) return std::nullopt;
  return Frame{m[1], m[2], std::stoi(m[3])};
}

std::string source_line(const std::string& file, int line) {
  auto text = try_read_file(file);
  if (!text) return "";
  auto lines = split_lines(*text);
  if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return "";
  return trim(lines[line - 1]);
}

std::string shorten_access(std::string header) {
  // "Write of size 4 at 0x7b04 by thread T2:" -> "write by thread T2"
  static const std::regex sized(R"( of size \d+ at 0x[0-9a-f]+)");
  header = std::regex_replace(header, sized, "");
  header = trim(header);
  if (!header.empty() && header.back() == ':') header.pop_back();
  static const std::regex mutexes(R"(\(mutexes: [^)]*\))");
  header = trim(std::regex_replace(header, mutexes, ""));
  if (!header.empty()) header[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(header[0])));
  return header;
}

// The course keeps hidden tests under hidden/ (exercises/FRAMEWORK.md).
bool is_hidden_test_file(const std::string& file) { return contains(file, "/hidden/"); }

}  // namespace

namespace {

// Frames of the C++ library, of ThreadSanitizer itself (built elsewhere, so
// its paths are relative: ../../../../src/libsanitizer/...) and of the goc
// runtime are neither the student's nor the course's: never named as a line.
bool is_foreign_frame(const std::string& file) {
  return starts_with(file, "/usr/") || !starts_with(file, "/") || contains(file, "/libsanitizer/") ||
         contains(file, "/runtime/src/") || contains(file, "/include/goc/");
}

// The first frame of a stack (lines from `k` on) that is the student's, else
// the course's; `k` is left after the stack.
std::optional<Frame> pick_frame(const std::vector<std::string>& lines, std::size_t& k,
                                const std::function<bool(const std::string&)>& is_student) {
  std::optional<Frame> chosen, first;
  for (; k < lines.size(); ++k) {
    auto f = parse_frame(lines[k]);
    if (!f) break;
    if (!first && !is_foreign_frame(f->file)) first = f;
    if (!chosen && is_student(f->file)) chosen = f;
  }
  return chosen ? chosen : first;
}

std::string frame_location(const std::optional<Frame>& f, const fs::path& overlay_root) {
  if (!f) return "";
  if (is_hidden_test_file(f->file)) return "a hidden test";
  return tidy_paths(f->file, overlay_root) + ":" + std::to_string(f->line);
}

// Each thread of a report as the student knows it: ThreadSanitizer's
// "Thread T3 'goroutine 7' (tid=.., running) created by main thread at:" and
// the stack below it, whose first course frame is the go() call. The runtime
// names each goroutine's thread (ThreadSanitizer runs one thread per goroutine).
std::map<std::string, std::string> goroutine_names(const std::vector<std::string>& lines, std::size_t begin,
                                                   std::size_t end, const fs::path& overlay_root,
                                                   const std::function<bool(const std::string&)>& is_student) {
  static const std::regex created(R"(^  Thread (T\d+) (?:'([^']*)' )?\(tid=\d+, [^)]*\) created by .* at:$)");
  std::map<std::string, std::string> names;
  for (std::size_t j = begin; j < end; ++j) {
    std::smatch m;
    if (!std::regex_match(lines[j], m, created)) continue;
    std::size_t k = j + 1;
    std::string where = frame_location(pick_frame(lines, k, is_student), overlay_root);
    std::string name = starts_with(m[2].str(), "goroutine ") ? m[2].str() : "thread " + m[1].str();
    if (where == "a hidden test") name += ", started in a hidden test";
    else if (!where.empty()) name += ", started at " + where;
    names[m[1]] = name;
  }
  return names;
}

// "write by thread T2" -> "write by goroutine 7, started at sum.cpp:20";
// "previous read by main thread" -> "previous read by the main goroutine";
// a lock-order report's "... in thread T2" alike.
std::string in_goroutines(std::string what, const std::map<std::string, std::string>& names) {
  static const std::regex thread(R"((by|in) thread (T\d+))");
  std::smatch m;
  if (std::regex_search(what, m, thread)) {
    auto n = names.find(m[2]);
    if (n != names.end()) what = m.prefix().str() + m[1].str() + " " + n->second + m.suffix().str();
  }
  what = replace_all(std::move(what), "by main thread", "by the main goroutine");
  return replace_all(std::move(what), "in main thread", "in the main goroutine");
}

}  // namespace

std::vector<RaceReport> parse_tsan_reports(const std::string& output, const fs::path& overlay_root,
                                           const std::vector<std::string>& student_files) {
  std::vector<RaceReport> reports;
  auto lines = split_lines(output);
  std::string root = overlay_root.string();
  std::function<bool(const std::string&)> is_student = [&](const std::string& file) {
    if (!root.empty() && !starts_with(file, root)) return false;
    for (auto& f : student_files)
      if (ends_with(file, "/" + f)) return true;
    return false;
  };
  std::set<std::string> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto pos = lines[i].find("WARNING: ThreadSanitizer: ");
    if (pos == std::string::npos) continue;
    RaceReport r;
    r.kind = trim(lines[i].substr(pos + 26));
    auto paren = r.kind.find(" (pid=");
    if (paren != std::string::npos) r.kind = r.kind.substr(0, paren);
    std::size_t end = i + 1;
    while (end < lines.size() && !contains(lines[end], "SUMMARY: ThreadSanitizer") &&
           !contains(lines[end], "WARNING: ThreadSanitizer: "))
      ++end;
    auto names = goroutine_names(lines, i + 1, end, overlay_root, is_student);
    for (std::size_t j = i + 1; j < end && r.accesses.size() < 2; ++j) {
      const std::string& l = lines[j];
      // A stack header: two-space indent, ends with ':' and frames follow.
      if (!(starts_with(l, "  ") && !starts_with(l, "    ") && ends_with(trim(l), ":"))) continue;
      if (contains(l, "Thread T") && contains(l, "created by")) continue;  // thread creation stacks
      if (contains(l, "Location is")) continue;
      std::size_t k = j + 1;
      std::optional<Frame> chosen = pick_frame(lines, k, is_student);
      RaceAccess a;
      a.what = in_goroutines(shorten_access(l), names);
      a.location = frame_location(chosen, overlay_root);
      if (chosen && a.location != "a hidden test") a.code = source_line(chosen->file, chosen->line);
      r.accesses.push_back(a);
      j = k - 1;
    }
    std::string key = r.kind;
    for (auto& a : r.accesses) key += "|" + a.location;
    if (seen.insert(key).second) reports.push_back(r);
    i = end - 1;
  }
  return reports;
}

std::string describe_races(const std::vector<RaceReport>& races) {
  std::string out;
  constexpr std::size_t kShown = 3;
  for (std::size_t i = 0; i < races.size() && i < kShown; ++i) {
    out += "ThreadSanitizer: " + races[i].kind + "\n";
    for (auto& a : races[i].accesses) {
      out += "  " + (a.location.empty() ? std::string("(no source line)") : a.location) + "  " + a.what;
      if (!a.code.empty()) out += "\n      " + a.code;
      out += "\n";
    }
  }
  if (races.size() > kShown)
    out += "[... " + std::to_string(races.size() - kShown) + " more reports]\n";
  return out;
}

std::string deadlock_dump(const std::string& output) {
  auto pos = output.find("fatal error: all goroutines are asleep - deadlock!");
  if (pos == std::string::npos) return "";
  return cap_text(output.substr(pos), 3000);
}

std::string time_limit_dump(const std::string& output) {
  auto pos = output.find("SIGQUIT: quit");
  if (pos == std::string::npos) return "";
  // The runtime's header line is for a reader of the raw output; the grader
  // says itself why the dump is there. Goroutines beyond the first few are
  // counted, not shown: a hang with a thousand alike says nothing more.
  auto lines = split_lines(output.substr(pos));
  constexpr int kShown = 12;
  std::string out;
  int goroutines = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    bool header = starts_with(l, "goroutine ") && ends_with(l, "]:");
    if (header) ++goroutines;
    else if (!l.empty() && !starts_with(l, "    ")) break;  // the dump ends where other output starts
    if (goroutines > kShown) continue;
    if (l.empty() && (out.empty() || ends_with(out, "\n\n"))) continue;  // one blank line between
    out += l + "\n";
  }
  if (goroutines > kShown) out += "[... " + std::to_string(goroutines - kShown) + " more goroutines]\n";
  while (!out.empty() && out.back() == '\n') out.pop_back();  // the caller decides what follows
  return cap_text(out, 3000);
}

std::string panic_message(const std::string& output) {
  std::size_t pos = output.rfind("\npanic: ");
  if (pos == std::string::npos) {
    if (starts_with(output, "panic: ")) pos = 0;
    else {
      pos = output.find("fatal error: ");
      if (pos == std::string::npos) return "";
    }
  } else {
    ++pos;
  }
  return cap_text(output.substr(pos), 1500);
}

std::map<std::string, std::string> leaks_by_test(const std::string& output) {
  std::map<std::string, std::string> out;
  static const std::regex header(R"re(^goroutine leak in test case "(.*)": (.*)$)re");
  auto lines = split_lines(output);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, header)) continue;
    std::string text = m[2].str() + "\n";
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      const auto& l = lines[j];
      if (l.empty() || starts_with(l, "    ") ||
          (starts_with(l, "goroutine ") && !starts_with(l, "goroutine leak"))) {
        if (!l.empty()) text += l + "\n";
      } else {
        break;
      }
    }
    out[m[1]] += text;
    i = j - 1;
  }
  return out;
}

std::string tsan_host_advice(const std::string& fatal_output) {
  std::string first;
  for (auto& l : split_lines(fatal_output))
    if (contains(l, "FATAL: ThreadSanitizer")) {
      first = trim(l);
      break;
    }
  return "ThreadSanitizer could not start on this machine, even with address-space "
         "randomisation turned off (setarch -R). This is a problem of the host, not of the "
         "submission; the race-detector part was not graded.\n"
         "  message: " + first + "\n"
         "  fix (root, whole machine): sudo sysctl vm.mmap_rnd_bits=28\n"
         "  in Docker: allow the personality() system call (e.g. --security-opt seccomp=unconfined),\n"
         "  or use a compiler whose ThreadSanitizer supports this kernel (g++ 14, clang 18.1+).";
}

bool is_host_failure(const std::string& build_log) {
  // Only what the compiler driver, the linker or make says about itself: a
  // student's #error or static_assert text is printed after the file name
  // and line, so it cannot pass for the host's failure.
  for (auto& line : split_lines(build_log)) {
    bool from_toolchain = false;
    for (const char* tool : {"g++", "c++", "gcc", "cc", "clang++", "clang", "collect2", "ld", "/usr/bin/ld", "make"})
      if (starts_with(line, std::string(tool) + ": ") || starts_with(line, std::string(tool) + "-"))
        from_toolchain = true;
    if (!from_toolchain) continue;
    for (const char* sign : {"Resource temporarily unavailable", "cannot fork", "vfork:", "No space left on device",
                             "Cannot allocate memory", "virtual memory exhausted", "out of memory allocating",
                             "Killed signal terminated program"})
      if (contains(line, sign)) return true;
  }
  return false;
}

}  // namespace grader
