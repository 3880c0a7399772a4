// The check of a student's file before it is linked into a test program: its
// text (includes, inline assembly, sanitizer attributes), and its compiled
// object's symbols and instructions against the allow-list in
// grader/symbol-allowlist.toml (built into the grader) plus the exercise's
// manifest key allow_symbols. A refusal costs only that exercise.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util.hpp"

namespace grader {

/// One thing the check refuses, in words for the student.
struct Refusal {
  std::string what;        ///< "uses `fopen`", "#include \"../x.cpp\""
  std::string why;
  std::string instead;     ///< what to use instead, or empty
  int line = 0;            ///< the student's line, 0 when unknown
  std::string line_text;
};

/// A global symbol of an object file (type: the letter `nm` would show).
struct ObjectSymbol {
  std::string mangled;
  std::string name;        ///< demangled
  char type = 'U';         ///< nm's letter: U/w undefined, T/D/B/R strong, W/V/u weak
  bool is_use() const { return type == 'U' || type == 'w' || type == 'v'; }
  bool is_weak() const { return type == 'W' || type == 'V' || type == 'u' || type == 'w' || type == 'v'; }
  bool is_code() const { return type == 'T' || type == 'W' || type == 'i'; }
};

/// The rules of the allow-list file, with an exercise's extra allowances.
class SymbolPolicy {
 public:
  /// The allow-list the grader was built with (grader/symbol-allowlist.toml).
  static const SymbolPolicy& built_in();
  /// Parses an allow-list (TOML, or JSON when `origin` ends in .json); a
  /// malformed one throws UserError naming `origin`.
  static SymbolPolicy parse(std::string_view text, const std::string& origin);
  /// This policy, also allowing `patterns` (a manifest's allow_symbols).
  SymbolPolicy allowing(const std::vector<std::string>& patterns) const;

  /// Why `symbol` is refused, or nothing (what empty) when it is allowed.
  Refusal judge(const ObjectSymbol& symbol) const;

 private:
  /// A pattern, and whether it is spelled like a C name (then it never
  /// matches C++ symbols: the student's `read(Queue&)` is not C's read).
  struct Pattern {
    std::string text;
    bool c_only = false;
  };
  using Patterns = std::vector<Pattern>;
  static Patterns patterns_of(const std::vector<std::string>& texts);
  static bool any_matches(const Patterns& patterns, const ObjectSymbol& s, std::string_view qualified);

  struct Rule {
    Patterns patterns;
    std::string only;  ///< "", "uses" or "definitions"
    std::string why, instead;
  };
  static Rule rule_of(const nlohmann::json& refuse_entry, const std::string& origin);
  Refusal judge_definition(const ObjectSymbol& symbol) const;
  Patterns extra_allowed_, c_functions_, compiler_data_, compiler_functions_;
  std::vector<std::string> library_namespaces_;
  std::vector<Rule> rules_;
};

/// True when `name` (demangled) matches `pattern`: `*` is any text; a pattern
/// without "(" also matches the name without its parameter list and return type.
bool symbol_matches(std::string_view pattern, std::string_view name);
/// "std::thread::join" from "std::thread::join()", "goc::go" from
/// "void goc::go<F>(F&&)", "Catch::X" from "vtable for Catch::X".
std::string qualified_name(std::string_view demangled);
/// The global symbols of `objdump -t` output, demangled, with nm's letters.
std::vector<ObjectSymbol> parse_symbol_table(std::string_view objdump_t_output);

/// Refusals from `objdump -d -h` output: system-call instructions, and
/// sections that run code at exit (.fini_array, .dtors).
std::vector<Refusal> check_disassembly(std::string_view objdump_output);

/// The source rules of source_check.hpp on the student's file, with the
/// text of each refused line.
std::vector<Refusal> check_source(const std::string& source_text);

/// The symbol and instruction rules on one compiled object (runs
/// objdump twice); `source_text` is searched for the lines of refused names.
/// `error` is set (and nothing refused) when a tool cannot run.
std::vector<Refusal> check_object(const fs::path& object, const std::string& source_text,
                                  const SymbolPolicy& policy, std::string& error);

/// Fills in `line`/`line_text` from the student's source where the refused
/// name appears (the plain build has no line tables).
void locate_in_source(Refusal& refusal, const std::string& identifier, const std::string& source_text);

/// The refusals as a student reads them, naming `file`, by line; a reason
/// shared by refusals in a row is said once, after the last of them.
std::string describe_refusals(std::vector<Refusal> refusals, const std::string& file);

}  // namespace grader
