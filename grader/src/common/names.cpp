#include "names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace grader {

namespace {

// "01-wait-dont-sleep" -> "01"; "" when the name has no number in front.
std::string number_part(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  return std::string(s.substr(0, n));
}

// "01-wait-dont-sleep" -> "wait-dont-sleep".
std::string word_part(std::string_view s) {
  std::string n = number_part(s);
  if (n.empty() || n.size() >= s.size() || s[n.size()] != '-') return std::string(s);
  return std::string(s.substr(n.size() + 1));
}

// "01" -> "1".
std::string without_zeros(const std::string& number) {
  std::size_t i = number.find_first_not_of('0');
  return i == std::string::npos ? "0" : number.substr(i);
}

void cut_after_last(std::string& s, std::string_view folder) {
  std::size_t at = 0;
  for (std::size_t p = s.find(folder); p != std::string::npos; p = s.find(folder, p + 1))
    if (p == 0 || s[p - 1] == '/') at = p + folder.size();
  s.erase(0, at);
}

}  // namespace

std::string normalize_name(std::string_view name) {
  std::string s;
  for (char c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    s += c == '_' ? '-' : c == '\\' ? '/' : c;
  }
  while (!s.empty() && (s.back() == '/' || std::isspace(static_cast<unsigned char>(s.back())))) s.pop_back();
  if (s.size() > 4 && s.ends_with(".cpp")) s.resize(s.size() - 4);
  // A lesson's examples sit in its examples/ folder: the name leaves it out.
  for (std::size_t p = s.find("/examples/"); p != std::string::npos; p = s.find("/examples/"))
    s.erase(p, 9);
  if (s.starts_with("examples/")) s.erase(0, 9);
  for (std::string_view folder : {"exercises/", "lessons/"}) cut_after_last(s, folder);
  while (s.starts_with("./")) s.erase(0, 2);
  return s;
}

std::vector<std::string> group_spellings(std::string_view group) {
  std::string g = normalize_name(group), n = number_part(g);
  std::set<std::string> out{g, word_part(g)};
  if (!n.empty()) {
    out.insert(n);
    out.insert(without_zeros(n));
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> spellings_of(std::string_view group, std::string_view item) {
  std::string g = normalize_name(group), i = normalize_name(item);
  std::string gn = number_part(g), in = number_part(i), gw = word_part(g), iw = word_part(i);
  std::set<std::string> out{g + "/" + i, i, iw, gw + "/" + iw, g + "/" + iw, gw + "/" + i};
  if (!in.empty()) out.insert(g + "/" + in);
  if (!gn.empty() && !in.empty()) {
    for (auto& a : {gn, without_zeros(gn)})
      for (auto& b : {in, without_zeros(in)}) {
        out.insert(a + "/" + b);
        out.insert(a + "-" + b);
      }
  }
  return {out.begin(), out.end()};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> exact_matches(const std::vector<Named>& items, std::string_view name) {
  std::string n = normalize_name(name);
  std::vector<std::string> out;
  for (auto& item : items)
    if (std::find(item.spellings.begin(), item.spellings.end(), n) != item.spellings.end() &&
        std::find(out.begin(), out.end(), item.id) == out.end())
      out.push_back(item.id);
  return out;
}

std::string nearest_name(const std::vector<Named>& items, std::string_view name) {
  std::string n = normalize_name(name), best;
  std::size_t best_distance = std::max<std::size_t>(2, n.size() / 3) + 1;
  for (auto& item : items)
    for (auto& s : item.spellings) {
      std::size_t d = edit_distance(n, s);
      if (d < best_distance) {
        best_distance = d;
        best = item.id;
      }
    }
  return best;
}

}  // namespace grader
