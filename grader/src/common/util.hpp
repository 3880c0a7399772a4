// Small helpers shared by the grader: strings, files, shell words, colours.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace grader {

namespace fs = std::filesystem;

/// An error meant for the user: printed as is, without a stack of causes.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const fs::path& path);
std::optional<std::string> try_read_file(const fs::path& path);
void write_file(const fs::path& path, std::string_view text);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
bool contains(std::string_view s, std::string_view part);
std::string trim(std::string_view s);
/// `s` padded with spaces to `width` characters (UTF-8 aware), for table columns.
std::string pad(const std::string& s, std::size_t width);
std::vector<std::string> split_lines(std::string_view s);
/// The parts of `s` between each `sep` ("a,,b" gives "a", "", "b").
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string replace_all(std::string s, std::string_view from, std::string_view to);

/// Splits a command line the way a POSIX shell splits words (quotes and
/// backslashes; no expansions). Used on CMake's compile and link commands.
std::vector<std::string> shell_split(std::string_view line);
/// Quotes a word for a POSIX shell when it needs it.
std::string shell_quote(std::string_view word);

/// The first `max_bytes` of `text`, cut at a line end, with a note of what was cut.
std::string cap_text(std::string_view text, std::size_t max_bytes);

/// `text` as valid UTF-8: each byte that does not start or continue a
/// well-formed sequence becomes U+FFFD. Program output reaches the reports
/// through this, so a stray byte cannot stop a report from being written.
std::string valid_utf8(std::string_view text);
/// valid_utf8(), and without the control characters XML 1.0 cannot hold
/// (everything below 0x20 except tab, newline and carriage return).
std::string xml_text(std::string_view text);

/// "1.5" rather than "1.500000"; integers without a decimal point.
std::string format_points(double points);

/// Points are whole hundredths, so that a total is exactly the sum of its
/// parts (never 199.9999999999996). `total` split over `n` items: each a
/// whole number of hundredths, the first ones a hundredth more where it does
/// not divide evenly.
std::vector<double> split_points(double total, std::size_t n);
/// points + more, added in hundredths.
double add_points(double points, double more);

/// A random token of hex digits (for per-run file names students cannot guess).
std::string random_token(std::size_t bytes = 12);

/// A new folder /tmp/<prefix>-XXXXXX, mode 0700; UserError when /tmp refuses.
fs::path make_scratch_dir(const std::string& prefix);

/// True when output may be coloured: NO_COLOR is unset, and FORCE_COLOR asks
/// for colour or stdout is a terminal (not TERM=dumb).
bool use_color();

/// Writes `line` and a newline to stderr in one write, so that lines from
/// threads printing at once (the plain and the tsan build) never mix.
void say_line(const std::string& line);
struct Colors {
  bool on;
  std::string green(std::string_view s) const;
  std::string red(std::string_view s) const;
  std::string yellow(std::string_view s) const;
  std::string bold(std::string_view s) const;
  std::string dim(std::string_view s) const;
};

/// The exercise's target key: "01-goroutines/02-race-counter" -> "ex_01_02".
std::string exercise_key(std::string_view id);

/// Copies a directory tree (regular files and folders only; symlinks skipped).
void copy_tree(const fs::path& from, const fs::path& to);

/// Seconds since an arbitrary start (steady clock).
double now_seconds();

}  // namespace grader
