#include "symbol_check.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <climits>

#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include "process.hpp"
#include "source_check.hpp"
#include "data_file.hpp"
#include "symbol_allowlist.inc"  // kSymbolAllowlist, generated from grader/symbol-allowlist.toml (or its .json twin)

namespace grader {

namespace {

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// `qualified` is qualified_name(name), worked out once per symbol.
bool matches(std::string_view pattern, std::string_view name, std::string_view qualified) {
  if (glob_match(pattern, name)) return true;
  return pattern.find('(') == std::string_view::npos && qualified != name && glob_match(pattern, qualified);
}

bool is_c_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] == '*') return false;  // "*basic_ifstream*" looks inside C++ names
  for (char c : pattern)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '*') return false;
  return true;
}

std::string demangle(const std::string& mangled) {
  if (!starts_with(mangled, "_Z")) return mangled;
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> text(abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && text ? std::string(text.get()) : mangled;
}

// The identifier a student would have written for `name`: the last part of
// its qualified name ("join" for std::thread::join, "ifstream" for
// std::basic_ifstream<char>::basic_ifstream).
std::vector<std::string> source_words(const std::string& name) {
  std::string q = qualified_name(name);
  std::vector<std::string> words;
  std::size_t end = q.size();
  while (end > 0) {
    std::size_t start = q.rfind("::", end - 1);
    std::size_t from = start == std::string::npos ? 0 : start + 2;
    std::string part = q.substr(from, end - from);
    if (auto lt = part.find('<'); lt != std::string::npos) part.resize(lt);
    if (!part.empty() && part != "std" && part != "goc" && part != "__cxx11") {
      words.push_back(part);
      if (starts_with(part, "basic_")) words.push_back(part.substr(6));
    }
    if (start == std::string::npos) break;
    end = start;
  }
  return words;
}

// The last character of the operator name that starts at `i` ("operator<<",
// "operator()", "operator new[]"), so that its < > ( ) are not taken for
// template arguments or parameters.
std::size_t last_of_operator_name(const std::string& s, std::size_t i) {
  i += 8;
  if (s.compare(i, 2, "()") == 0) return i + 1;
  if (i < s.size() && s[i] == ' ') {  // new, delete, or a conversion operator
    while (i + 1 < s.size() && s[i + 1] != '(' && s[i + 1] != '<') ++i;
    return i;
  }
  const std::string_view symbol_chars = "<>=!+-*/%&|^~[],";
  std::size_t last = i;
  for (std::size_t j = i; j < s.size() && j < i + 3 && symbol_chars.find(s[j]) != std::string_view::npos; ++j) last = j;
  return last;
}

}  // namespace

bool symbol_matches(std::string_view pattern, std::string_view name) {
  return matches(pattern, name, qualified_name(name));
}

std::string qualified_name(std::string_view demangled) {
  std::string s(demangled);
  for (std::string prefix : {"vtable for ", "typeinfo name for ", "typeinfo for ", "VTT for ",
                             "construction vtable for ", "guard variable for ", "TLS init function for ",
                             "TLS wrapper function for ", "non-virtual thunk to ", "virtual thunk to ",
                             "covariant return thunk to "})
    if (starts_with(s, prefix)) s = s.substr(prefix.size());
  // Cut the parameter list (the first "(" outside template arguments) and the
  // return type (text before the last space outside them).
  int depth = 0;
  std::size_t last_space = std::string::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 8, "operator") == 0 && (i == 0 || s[i - 1] == ':' || s[i - 1] == ' ')) {
      i = last_of_operator_name(s, i);
      continue;
    }
    char c = s[i];
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (depth == 0 && c == ' ' && (i + 1 >= s.size() || s[i + 1] != '<')) last_space = i;
    if (depth == 0 && c == '(' && i > 0) {
      s.resize(i);
      break;
    }
  }
  if (last_space != std::string::npos && last_space < s.size()) s = s.substr(last_space + 1);
  return s;
}

// One line of `objdump -t`: value, 7 flag characters (l/g/u local, global,
// unique; w weak; i indirect; F function), section, tab, size, name.
std::optional<ObjectSymbol> parse_symbol_line(const std::string& line) {
  if (line.size() < 27 || line.find_first_not_of("0123456789abcdef") != 16 || line[16] != ' ') return std::nullopt;
  const std::string flags = line.substr(17, 7);
  const auto tab = line.find('\t', 25);
  if (tab == std::string::npos) return std::nullopt;
  const std::string section = line.substr(25, tab - 25);
  const auto name_at = line.find_last_of(' ');
  if (name_at == std::string::npos || name_at < tab) return std::nullopt;
  const std::string mangled = line.substr(name_at + 1);
  const bool weak = flags[1] == 'w', code = flags[6] == 'F' || starts_with(section, ".text");
  char type;
  if (section == "*UND*") type = weak ? 'w' : 'U';
  else if (weak) type = code ? 'W' : 'V';
  else if (flags[4] == 'i') type = 'i';
  else if (flags[0] == 'u') type = 'u';
  else if (flags[0] == 'g' || flags[0] == '!') type = section == "*COM*" ? 'C' : code ? 'T' : 'D';
  else return std::nullopt;  // local: cannot replace anything outside the file
  return ObjectSymbol{mangled, demangle(mangled), type};
}

std::vector<ObjectSymbol> parse_symbol_table(std::string_view output) {
  std::vector<ObjectSymbol> symbols;
  for (auto& line : split_lines(output))
    if (auto symbol = parse_symbol_line(line)) symbols.push_back(std::move(*symbol));
  return symbols;
}

const SymbolPolicy& SymbolPolicy::built_in() {
  static const SymbolPolicy policy = parse(kSymbolAllowlist, std::string(kSymbolAllowlistOrigin));
  return policy;
}

namespace {

using nlohmann::json;

// A JSON list of strings (anything else in it: an empty string).
std::vector<std::string> strings_in(const json* list) {
  std::vector<std::string> out;
  if (list && list->is_array())
    for (auto& item : *list) out.push_back(item.is_string() ? item.get<std::string>() : std::string());
  return out;
}

// table[section][key] as a list of strings (missing: empty).
std::vector<std::string> strings_at(const json& table, const char* section, const char* key) {
  const json* s = member(table, section);
  return strings_in(s ? member(*s, key) : nullptr);
}

}  // namespace

SymbolPolicy::Rule SymbolPolicy::rule_of(const nlohmann::json& r, const std::string& origin) {
  Rule out{patterns_of(strings_in(member(r, "symbols"))), text_member(r, "only"), text_member(r, "why"),
           text_member(r, "instead")};
  if (out.patterns.empty() || out.why.empty())
    throw UserError(origin + ": every [[refuse]] needs symbols = [...] and why = \"...\"");
  if (!out.only.empty() && out.only != "uses" && out.only != "definitions" && out.only != "strong definitions")
    throw UserError(origin + ": [[refuse]] only = \"" + out.only +
                    "\" is not one of \"uses\", \"definitions\", \"strong definitions\"");
  return out;
}

SymbolPolicy SymbolPolicy::parse(std::string_view text, const std::string& origin) {
  json t = parse_data_text(text, origin);
  SymbolPolicy p;
  p.c_functions_ = patterns_of(strings_at(t, "allow", "c_functions"));
  p.library_namespaces_ = strings_at(t, "define", "library_namespaces");
  p.compiler_data_ = patterns_of(strings_at(t, "define", "compiler_data"));
  p.compiler_functions_ = patterns_of(strings_at(t, "define", "compiler_functions"));
  if (const json* rules = member(t, "refuse"); rules && rules->is_array())
    for (auto& r : *rules)
      if (r.is_object()) p.rules_.push_back(rule_of(r, origin));
  if (p.c_functions_.empty()) throw UserError(origin + ": [allow] c_functions is missing or empty");
  return p;
}

SymbolPolicy::Patterns SymbolPolicy::patterns_of(const std::vector<std::string>& texts) {
  Patterns out;
  for (auto& t : texts) out.push_back(Pattern{t, is_c_pattern(t)});
  return out;
}

bool SymbolPolicy::any_matches(const Patterns& patterns, const ObjectSymbol& s, std::string_view qualified) {
  const bool cxx = starts_with(s.mangled, "_Z");
  for (auto& p : patterns)
    if (!(cxx && p.c_only) && matches(p.text, s.name, qualified)) return true;
  return false;
}

SymbolPolicy SymbolPolicy::allowing(const std::vector<std::string>& patterns) const {
  SymbolPolicy p = *this;
  for (auto& pattern : patterns_of(patterns)) p.extra_allowed_.push_back(pattern);
  return p;
}

Refusal SymbolPolicy::judge(const ObjectSymbol& s) const {
  const std::string q = qualified_name(s.name);
  if (any_matches(extra_allowed_, s, q)) return {};
  if (s.is_use() && any_matches(c_functions_, s, q)) return {};
  for (auto& rule : rules_) {
    bool applies = rule.only.empty() || (rule.only == "uses" && s.is_use()) ||
                   (rule.only == "definitions" && !s.is_use()) ||
                   (rule.only == "strong definitions" && !s.is_use() && !s.is_weak());
    if (applies && any_matches(rule.patterns, s, q))
      return {(s.is_use() ? "uses `" : "defines `") + s.name + "`", rule.why, rule.instead, 0, ""};
  }
  if (!s.is_use()) return judge_definition(s);
  if (starts_with(s.mangled, "_Z")) return {};
  return {"uses `" + s.name + "`",
          "it is a C library or system function that is not on the grader's list of what exercises may use",
          "use the C++ standard library (containers, algorithms, std::thread, std::mutex, <chrono>) and "
          "the goc runtime; print with std::cout or printf. If an exercise really needs it, the "
          "instructor can allow it for that exercise",
          0, ""};
}

Refusal SymbolPolicy::judge_definition(const ObjectSymbol& s) const {
  const std::string what = "defines `" + s.name + "`";
  if (!starts_with(s.mangled, "_Z")) {
    if (s.is_code() && s.is_weak() && any_matches(compiler_functions_, s, s.mangled)) return {};
    if (s.is_code())
      return {what,
              "it is a C function (extern \"C\") with a name the C library or the test program may have, "
              "and would replace theirs",
              "remove extern \"C\" or make the function static", 0, ""};
    bool reserved = starts_with(s.mangled, "__") ||
                    (s.mangled.size() > 1 && s.mangled[0] == '_' && std::isupper(static_cast<unsigned char>(s.mangled[1])));
    if (reserved && !any_matches(compiler_data_, s, s.mangled))
      return {what, "names starting with \"__\" or \"_\" and a capital letter belong to the compiler and the library",
              "give your variable another name", 0, ""};
    return {};
  }
  if (s.is_weak()) return {};
  std::string q = qualified_name(s.name);
  for (auto& ns : library_namespaces_)
    if (starts_with(q, ns))
      return {what, "it is part of the C++ library or the goc runtime, and your definition would replace theirs",
              "put your own functions and types in the global namespace or a namespace of your own", 0, ""};
  return {};
}

namespace {

RunResult run_inspector(std::vector<std::string> argv) {
  RunOptions o;
  o.argv = std::move(argv);
  o.cwd = "/";
  o.timeout_seconds = 60;
  o.output_cap = 64u << 20;
  return run(o);
}

// "syscall" from "  1c:\tsyscall " (objdump -d --no-show-raw-insn).
std::string instruction_of(const std::string& line) {
  auto tab = line.find(":\t");
  if (tab == std::string::npos || line.find_first_not_of(" 0123456789abcdef") != tab) return "";
  return trim(line.substr(tab + 2));
}

}  // namespace

std::vector<Refusal> check_disassembly(std::string_view output) {
  std::vector<Refusal> out;
  std::string function;
  for (auto& line : split_lines(output)) {
    const char* exit_section = contains(line, " .fini_array ") ? ".fini_array" : contains(line, " .dtors ") ? ".dtors" : nullptr;
    if (exit_section)
      out.push_back({std::string("code that runs when the program ends (a ") + exit_section + " section)",
                     "it would run after the tests, behind their verdict", "remove it", 0, ""});
    if (ends_with(line, ">:") && line.find('<') != std::string::npos)
      function = demangle(line.substr(line.find('<') + 1, line.size() - line.find('<') - 3));
    std::string insn = instruction_of(line);
    bool raw_call = starts_with(insn, "syscall") || starts_with(insn, "sysenter") ||
                    (starts_with(insn, "int ") && contains(insn, "$0x80"));
    if (raw_call)
      out.push_back({"a system-call instruction (`" + trim(insn) + "`) in `" + function + "`",
                     "it asks the kernel directly for what the grader does not allow your code to do",
                     "write it in C++ with the standard library", 0, ""});
  }
  return out;
}

std::vector<Refusal> check_object(const fs::path& object, const std::string& source_text,
                                  const SymbolPolicy& policy, std::string& error) {
  const std::string path = fs::absolute(object).string();
  // objdump rather than nm: nm loads the LTO plugin and takes ten times as long.
  RunResult table = run_inspector({"objdump", "-h", "-t", path});
  // The student's own code is in these sections; the weak copies of library
  // templates (one section each) are left out: disassembling them costs most
  // of the time, and assembly in them could only come from source the source
  // rules refuse (inline asm, section attributes).
  RunResult dump = run_inspector({"objdump", "-d", "--no-show-raw-insn", "-j", ".text", "-j", ".text.startup",
                                  "-j", ".text.unlikely", "-j", ".text.hot", "-j", ".text.exit", path});
  for (auto* r : {&table, &dump})
    if (!r->ok() || r->output_truncated) {
      error = "cannot inspect " + object.filename().string() + " with objdump (" + r->describe_end(60) +
              "):\n" + cap_text(r->output + r->start_error, 2000);
      return {};
    }
  dump.output = table.output + dump.output;  // the section list: .fini_array
  std::vector<Refusal> out;
  std::set<std::string> seen;
  for (auto& symbol : parse_symbol_table(table.output)) {
    Refusal r = policy.judge(symbol);
    if (r.what.empty() || !seen.insert(r.what).second) continue;
    for (auto& word : source_words(symbol.name)) {
      locate_in_source(r, word, source_text);
      if (r.line) break;
    }
    out.push_back(std::move(r));
  }
  for (auto& r : check_disassembly(dump.output)) out.push_back(std::move(r));
  return out;
}

std::vector<Refusal> check_source(const std::string& source_text) {
  std::vector<Refusal> out = check_includes(source_text);
  for (auto& r : check_source_tokens(source_text)) out.push_back(std::move(r));
  auto lines = split_lines(source_text);
  for (auto& r : out)
    if (r.line > 0 && r.line <= static_cast<int>(lines.size())) r.line_text = trim(lines[r.line - 1]);
  return out;
}

void locate_in_source(Refusal& r, const std::string& identifier, const std::string& source_text) {
  auto lines = split_lines(source_text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::size_t at = lines[i].find(identifier);
    while (at != std::string::npos) {
      bool starts = at == 0 || (!std::isalnum(static_cast<unsigned char>(lines[i][at - 1])) && lines[i][at - 1] != '_');
      std::size_t after = at + identifier.size();
      bool ends = after >= lines[i].size() ||
                  (!std::isalnum(static_cast<unsigned char>(lines[i][after])) && lines[i][after] != '_');
      if (starts && ends) {
        r.line = static_cast<int>(i + 1);
        r.line_text = trim(lines[i]);
        return;
      }
      at = lines[i].find(identifier, at + 1);
    }
  }
}

std::string describe_refusals(std::vector<Refusal> refusals, const std::string& file) {
  // In the order of the student's lines; one reason for a run of refusals that share it.
  std::stable_sort(refusals.begin(), refusals.end(), [](const Refusal& a, const Refusal& b) {
    return (a.line ? a.line : INT_MAX) < (b.line ? b.line : INT_MAX);
  });
  std::string text = "refused before linking: " + file + " does what exercise code may not do.\n";
  for (std::size_t i = 0; i < refusals.size(); ++i) {
    const Refusal& r = refusals[i];
    text += "- " + file + (r.line ? ":" + std::to_string(r.line) : "") + ": " + r.what + "\n";
    if (!r.line_text.empty()) text += "    " + r.line_text + "\n";
    bool same_reason_follows = i + 1 < refusals.size() && refusals[i + 1].why == r.why;
    if (same_reason_follows) continue;
    text += "  why: " + r.why + "\n";
    if (!r.instead.empty()) text += "  instead: " + r.instead + "\n";
  }
  return text;
}

}  // namespace grader
