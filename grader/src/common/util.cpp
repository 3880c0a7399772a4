#include "util.hpp"

#include <cmath>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace grader {

std::string read_file(const fs::path& path) {
  auto text = try_read_file(path);
  if (!text) throw UserError("cannot read " + path.string());
  return *text;
}

std::optional<std::string> try_read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, std::string_view text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UserError("cannot write " + path.string());
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw UserError("cannot write " + path.string());
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }
bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }
bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string pad(const std::string& s, std::size_t width) {
  // Width in characters, counting UTF-8 continuation bytes as nothing.
  std::size_t chars = 0;
  for (unsigned char ch : s) chars += (ch & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = s.find(sep, start)) != std::string_view::npos; start = end + 1)
    parts.emplace_back(s.substr(start, end - start));
  parts.emplace_back(s.substr(start));
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::vector<std::string> shell_split(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'') {
      in_word = true;
      for (++i; i < line.size() && line[i] != '\''; ++i) word += line[i];
    } else if (c == '"') {
      in_word = true;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size() &&
            std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos)
          ++i;
        word += line[i];
      }
    } else if (c == '\\' && i + 1 < line.size()) {
      in_word = true;
      word += line[++i];
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::string shell_quote(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word)
    if (!(std::isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("@%+=:,./-_").find(c) != std::string_view::npos))
      plain = false;
  if (plain) return std::string(word);
  return "'" + replace_all(std::string(word), "'", "'\\''") + "'";
}

std::string cap_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = text.rfind('\n', max_bytes);
  if (cut == std::string_view::npos || cut < max_bytes / 2) cut = max_bytes;
  return std::string(text.substr(0, cut)) + "\n[... " + std::to_string(text.size() - cut) +
         " more bytes not shown]\n";
}

std::string format_points(double points) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", points);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::vector<double> split_points(double total, std::size_t n) {
  std::vector<double> shares;
  if (n == 0) return shares;
  long long hundredths = std::llround(total * 100);
  long long each = hundredths / static_cast<long long>(n);
  long long left = hundredths % static_cast<long long>(n);
  for (std::size_t i = 0; i < n; ++i)
    shares.push_back(static_cast<double>(each + (static_cast<long long>(i) < left ? 1 : 0)) / 100);
  return shares;
}

double add_points(double points, double more) {
  return static_cast<double>(std::llround(points * 100) + std::llround(more * 100)) / 100;
}

std::string random_token(std::size_t bytes) {
  std::random_device rd;
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    out += digits[v >> 4];
    out += digits[v & 15];
  }
  return out;
}

fs::path make_scratch_dir(const std::string& prefix) {
  std::string path = "/tmp/" + prefix + "-XXXXXX";
  if (!mkdtemp(path.data())) throw UserError("cannot create a scratch folder in /tmp");
  return path;
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  // FORCE_COLOR (set to "true" by GitHub Classroom's command grader, whose log
  // is a pipe that renders colours): colour without a terminal.
  const char* force = std::getenv("FORCE_COLOR");
  if (force && *force && std::string_view(force) != "0" && std::string_view(force) != "false") return true;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

static std::string paint(bool on, const char* code, std::string_view s) {
  if (!on) return std::string(s);
  return std::string("\033[") + code + "m" + std::string(s) + "\033[0m";
}
std::string Colors::green(std::string_view s) const { return paint(on, "32", s); }
std::string Colors::red(std::string_view s) const { return paint(on, "31", s); }
std::string Colors::yellow(std::string_view s) const { return paint(on, "33", s); }
std::string Colors::bold(std::string_view s) const { return paint(on, "1", s); }
std::string Colors::dim(std::string_view s) const { return paint(on, "2", s); }

std::string exercise_key(std::string_view id) {
  // "NN-topic/MM-slug": the two fixed-width numbers.
  auto slash = id.find('/');
  if (slash == std::string_view::npos || slash < 2 || id.size() < slash + 3)
    throw UserError("exercise id '" + std::string(id) + "' is not of the form NN-topic/MM-slug");
  return "ex_" + std::string(id.substr(0, 2)) + "_" + std::string(id.substr(slash + 1, 2));
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const auto& entry = *it;
    auto rel = fs::relative(entry.path(), from);
    if (entry.is_symlink()) continue;
    if (entry.is_directory()) {
      fs::create_directories(to / rel);
    } else if (entry.is_regular_file()) {
      fs::create_directories((to / rel).parent_path());
      fs::copy_file(entry.path(), to / rel, fs::copy_options::overwrite_existing);
    }
  }
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace grader

namespace grader {

namespace {

// The length of the well-formed UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(0);
  if (b < 0x80) return 1;
  std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? (b <= 0xEF ? 3 : 0) : b >= 0xC2 ? 2 : 0;
  if (n == 0 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  if (b == 0xE0 && byte(1) < 0xA0) return 0;
  if (b == 0xED && byte(1) > 0x9F) return 0;
  if (b == 0xF0 && byte(1) < 0x90) return 0;
  if (b == 0xF4 && byte(1) > 0x8F) return 0;
  return n;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    std::size_t n = utf8_sequence_length(text);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      n = 1;
    } else {
      out.append(text.substr(0, n));
    }
    text.remove_prefix(n);
  }
  return out;
}

std::string xml_text(std::string_view text) {
  std::string out = valid_utf8(text);
  std::erase_if(out, [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 && c != '\t' && c != '\n' && c != '\r';
  });
  return out;
}

void say_line(const std::string& line) {
  // One insertion: std::cerr, synced with stdio, passes it on as one fwrite,
  // which holds stderr's lock throughout. Through std::cerr and not stderr,
  // so that a caller who redirected std::cerr gets it.
  std::cerr << (line + "\n") << std::flush;
}

}  // namespace grader
