#include "source_check.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace grader {

namespace {

struct Token {
  enum Kind { word, punct, literal, header } kind;
  std::string text;
  int line;
  bool starts_line;  ///< first token of its (logical) line: a '#' here begins a directive
};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Splits C++ source into the tokens the checks need. Comments are dropped,
// string and character literals kept as one token without their text, and
// the file name of an #include is one `header` token (or none when a macro
// names it). Backslash-newlines join lines, as in the compiler.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : s_(source) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    while (skip_space_and_comments()) {
      Token t = next();
      t.starts_line = line_start_;
      line_start_ = false;
      out.push_back(std::move(t));
      if (directive_wants_header(out)) lex_header(out);
    }
    return out;
  }

 private:
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  void advance() {
    if (s_[i_] == '\n') ++line_;
    ++i_;
  }
  bool splice() {
    if (at(i_) == '\\' && at(i_ + 1) == '\n') {
      i_ += 2;
      ++line_;
      return true;
    }
    return false;
  }
  bool skip_space_and_comments() {
    while (i_ < s_.size()) {
      if (splice()) continue;
      char c = s_[i_];
      if (c == '\n') line_start_ = true;
      if (std::isspace(static_cast<unsigned char>(c))) {
        advance();
      } else if (c == '/' && at(i_ + 1) == '/') {
        while (i_ < s_.size() && s_[i_] != '\n')
          if (!splice()) advance();
      } else if (c == '/' && at(i_ + 1) == '*') {
        i_ += 2;
        while (i_ < s_.size() && !(s_[i_] == '*' && at(i_ + 1) == '/')) advance();
        i_ += 2;
      } else {
        return true;
      }
    }
    return false;
  }
  Token next() {
    Token t{Token::punct, "", line_, false};
    char c = s_[i_];
    if (is_word_char(c)) {
      t.kind = std::isdigit(static_cast<unsigned char>(c)) ? Token::literal : Token::word;
      while (i_ < s_.size()) {
        if (splice()) continue;
        char d = s_[i_];
        if (!is_word_char(d) && !(t.kind == Token::literal && (d == '\'' || d == '.'))) break;
        t.text += d;
        ++i_;
      }
      if (at(i_) == '"' && t.kind == Token::word && !t.text.empty() && t.text.back() == 'R') return raw_string(t);
      if ((at(i_) == '"' || at(i_) == '\'') && t.kind == Token::word && t.text.size() <= 2) return quoted(t);
      return t;
    }
    if (c == '"' || c == '\'') return quoted(t);
    if (c == '%' && at(i_ + 1) == ':') {  // the digraph of '#'
      i_ += 2;
      t.text = "#";
      return t;
    }
    if ((c == '<' && at(i_ + 1) == ':' && at(i_ + 2) != ':') || (c == ':' && at(i_ + 1) == '>')) {
      i_ += 2;  // the digraphs of '[' and ']'
      t.text = c == '<' ? "[" : "]";
      return t;
    }
    t.text = std::string(1, c);
    ++i_;
    if (c == '#' && at(i_) == '#') {
      ++i_;
      t.text = "##";
    }
    return t;
  }
  Token quoted(Token t) {
    char quote = s_[i_];
    advance();
    while (i_ < s_.size() && s_[i_] != quote && s_[i_] != '\n') {
      if (s_[i_] == '\\') advance();
      if (i_ < s_.size()) advance();
    }
    if (i_ < s_.size() && s_[i_] == quote) advance();
    t.kind = Token::literal;
    t.text = "\"\"";
    return t;
  }
  Token raw_string(Token t) {
    std::size_t open = s_.find('(', i_);
    std::string close = ")" + std::string(s_.substr(i_ + 1, open == std::string_view::npos ? 0 : open - i_ - 1)) + "\"";
    std::size_t end = open == std::string_view::npos ? s_.size() : s_.find(close, open);
    end = end == std::string_view::npos ? s_.size() : end + close.size();
    while (i_ < end) advance();
    t.kind = Token::literal;
    t.text = "\"\"";
    return t;
  }
  static bool directive_wants_header(const std::vector<Token>& out) {
    std::size_t n = out.size();
    if (n < 2 || out[n - 2].text != "#" || !out[n - 2].starts_line) return false;
    const std::string& d = out[n - 1].text;
    return d == "include" || d == "include_next" || d == "import";
  }
  // The file name of an #include, as the compiler reads it: <...> or "...".
  void lex_header(std::vector<Token>& out) {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || splice()))
      if (s_[i_] == ' ' || s_[i_] == '\t') ++i_;
    char open = at(i_);
    if (open != '<' && open != '"') return;  // computed: the check refuses it
    char close = open == '<' ? '>' : '"';
    std::size_t end = s_.find_first_of(std::string{close, '\n'}, i_ + 1);
    if (end == std::string_view::npos || s_[end] != close) return;
    out.push_back(Token{Token::header, std::string(s_.substr(i_ + 1, end - i_ - 1)), line_, false});
    i_ = end + 1;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1;
  bool line_start_ = true;
};

std::string strip_underscores(const std::string& word) {
  std::size_t b = word.find_first_not_of('_'), e = word.find_last_not_of('_');
  return b == std::string::npos ? "" : word.substr(b, e - b + 1);
}

Refusal refusal(const Token& t, std::string what, std::string why, std::string instead) {
  return Refusal{std::move(what), std::move(why), std::move(instead), t.line, ""};
}

const char* const kIncludeInstead =
    "include only the standard library (<vector>, <mutex>, <cstdio>), <goc/goc.hpp> and the exercise's own "
    "header (\"sum.hpp\")";

// An #include of an absolute path, of a path with "..", or of anything but a
// standard header, goc/... or a header beside the exercise.
std::optional<Refusal> check_header(const Token& directive, const Token* header) {
  if (!header || header->kind != Token::header)
    return refusal(directive, "an #include whose file name comes from a macro",
                   "the grader must see which file is included", kIncludeInstead);
  const std::string& name = header->text;
  std::string shown = "#include \"" + name + "\"";
  if (starts_with(name, "/"))
    return refusal(directive, shown, "it includes a file by its absolute path, outside the exercise", kIncludeInstead);
  // goc/... is the runtime; bits/stdc++.h is the library's all-in-one header
  // (what it declares is checked as the object uses it).
  const bool nested_ok = starts_with(name, "goc/") || name == "bits/stdc++.h";
  std::string rest = starts_with(name, "goc/") ? name.substr(4) : name;
  for (auto& part : split_lines(replace_all(rest, "/", "\n")))
    if (part == ".." || part == "." || part.empty())
      return refusal(directive, shown, "it includes a file from another folder of the course (\"..\")",
                     kIncludeInstead);
  if (rest.find('/') != std::string::npos && !nested_ok)
    return refusal(directive, shown, "it includes a header from a sub-folder, which exercises do not need",
                   kIncludeInstead);
  for (char c : name)
    if (!is_word_char(c) && c != '.' && c != '-' && c != '/' && c != '+')
      return refusal(directive, shown, "its file name has characters header names do not have", kIncludeInstead);
  return std::nullopt;
}

}  // namespace

std::vector<Refusal> check_includes(std::string_view source) {
  std::vector<Refusal> out;
  auto tokens = Lexer(source).tokens();
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].text != "#" || !tokens[i].starts_line) continue;
    const Token& d = tokens[i + 1];
    if (d.starts_line) continue;  // a lone '#'
    const Token* header = i + 2 < tokens.size() ? &tokens[i + 2] : nullptr;
    if (d.text == "include" || d.text == "include_next" || d.text == "import") {
      if (auto r = check_header(d, header)) out.push_back(*r);
    } else if (d.text == "line" || d.kind == Token::literal) {
      out.push_back(refusal(d, "a #line directive", "it changes which file and line the compiler reports",
                            "remove it"));
    }
  }
  return out;
}

namespace {

// Attributes that make the toolchain run or place code on its own (at exit,
// in a chosen section, under another symbol's name) or change linking.
const std::set<std::string> kRefusedAttributes = {
    "section", "destructor", "constructor", "naked", "alias", "ifunc", "weak", "weakref", "symver",
    "visibility", "init_priority", "used", "retain", "no_reorder", "target_clones", "noipa"};
const std::set<std::string> kSanitizerWords = {"disable_sanitizer_instrumentation", "no_address_safety_analysis",
                                               "no_stack_protector", "no_instrument_function"};
const char* const kSanitizerWhy =
    "it switches off the race detector (or another check) for your code, so races there would go unseen";

bool allowed_pragma(const std::vector<Token>& t, std::size_t i) {
  std::string first = i < t.size() && !t[i].starts_line ? t[i].text : "";
  std::string second = i + 1 < t.size() && !t[i + 1].starts_line ? t[i + 1].text : "";
  if (first == "once" || first == "message" || first == "region" || first == "endregion") return true;
  return first == "GCC" && (second == "diagnostic" || second == "unroll" || second == "ivdep");
}

// The end of an attribute list opened at `i`: __attribute__((...)),
// __declspec(...) or [[...]]; `i` itself when there is none.
std::size_t attribute_end(const std::vector<Token>& t, std::size_t i) {
  const std::string& w = t[i].text;
  bool gnu = w == "__attribute__" || w == "__attribute" || w == "__declspec";
  bool standard = w == "[" && i + 1 < t.size() && t[i + 1].text == "[";
  if (!gnu && !standard) return i;
  int depth = 0;
  for (std::size_t j = gnu ? i + 1 : i; j < t.size(); ++j) {
    const std::string& x = t[j].text;
    if (x == "(" || x == "[") ++depth;
    if (x == ")" || x == "]") --depth;
    if (depth <= 0 && j > i) return j;
  }
  return t.size() - 1;
}

std::optional<Refusal> check_word(const Token& t, bool in_attribute) {
  std::string bare = strip_underscores(t.text);
  if (t.text == "asm" || t.text == "__asm" || t.text == "__asm__")
    return refusal(t, "inline assembly (`" + t.text + "`)",
                   "assembly can make system calls and do what the grader checks your compiled code for",
                   "write it in C++");
  if (starts_with(bare, "no_sanitize") || kSanitizerWords.count(bare))
    return refusal(t, "the attribute `" + t.text + "`", kSanitizerWhy, "remove it and fix what the race detector reports");
  if (t.text == "_Pragma")
    return refusal(t, "`_Pragma`", "it builds a #pragma out of a string, which the grader cannot check",
                   "write C++ without pragmas");
  if (in_attribute && kRefusedAttributes.count(bare))
    return refusal(t, "the attribute `" + bare + "`",
                   "it makes the compiler or linker place or run your code on its own (at start or exit, "
                   "in a chosen section, under another name)",
                   "call your code from the functions the exercise asks for");
  return std::nullopt;
}

}  // namespace

std::vector<Refusal> check_source_tokens(std::string_view source) {
  std::vector<Refusal> out;
  auto t = Lexer(source).tokens();
  std::size_t attribute_until = 0;  // tokens before it are inside an attribute list
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i >= attribute_until) attribute_until = std::max(attribute_until, attribute_end(t, i));
    bool in_attribute = i < attribute_until;
    if (t[i].text == "##")
      out.push_back(refusal(t[i], "token pasting (`##`)",
                            "it builds names the grader cannot see in your file", "write the names out"));
    bool directive = t[i].text == "#" && t[i].starts_line && i + 1 < t.size();
    if (directive && t[i + 1].text == "pragma" && !allowed_pragma(t, i + 2))
      out.push_back(refusal(t[i], "a #pragma other than once, GCC diagnostic, unroll or ivdep",
                            "pragmas can change how your code is compiled and linked", "remove it"));
    if (t[i].kind != Token::word) continue;
    if (auto r = check_word(t[i], in_attribute)) out.push_back(*r);
  }
  return out;
}

}  // namespace grader
