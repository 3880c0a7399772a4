#include "data_file.hpp"

#include <sstream>

#if GOC_GRADER_HAS_TOML
#include <toml++/toml.h>
#endif

namespace grader {

bool toml_supported() { return GOC_GRADER_HAS_TOML != 0; }

void require_toml(const std::string& what) {
  if (toml_supported()) return;
  throw UserError(what + " needs toml++, and this grader was built without it: install libtomlplusplus-dev "
                  "(Debian 12, Ubuntu 24.04 and later; ./course setup installs it), then rebuild the grader");
}

namespace {

nlohmann::json parse_json_text(std::string_view text, const std::string& origin) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UserError(origin + ": " + e.what());
  }
}

}  // namespace

const nlohmann::json* member(const nlohmann::json& table, const char* key) {
  if (!table.is_object()) return nullptr;
  auto it = table.find(key);
  return it == table.end() ? nullptr : &*it;
}

std::string text_member(const nlohmann::json& table, const char* key, const std::string& fallback) {
  const nlohmann::json* v = member(table, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

fs::path json_twin(const fs::path& toml_path) {
  fs::path twin = toml_path;
  return twin.replace_extension(".json");
}

#if GOC_GRADER_HAS_TOML

namespace {

toml::table parse_toml(std::string_view text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw UserError(origin + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                    std::string(e.description()));
  }
}

nlohmann::json toml_as_json(const toml::table& table) {
  std::ostringstream text;
  text << toml::json_formatter{table};
  return nlohmann::json::parse(text.str());
}

toml::table toml_table(const nlohmann::json& object);
toml::array toml_array(const nlohmann::json& array);

// Hands one JSON value to `put` as its TOML value; null has no TOML form.
template <typename Put>
void put_value(const nlohmann::json& v, Put put) {
  using J = nlohmann::json::value_t;
  switch (v.type()) {
    case J::object: put(toml_table(v)); break;
    case J::array: put(toml_array(v)); break;
    case J::string: put(v.get<std::string>()); break;
    case J::boolean: put(v.get<bool>()); break;
    case J::number_integer:
    case J::number_unsigned: put(v.get<int64_t>()); break;
    case J::number_float: put(v.get<double>()); break;
    default: break;
  }
}

toml::table toml_table(const nlohmann::json& object) {
  toml::table t;
  for (auto& [key, item] : object.items())
    put_value(item, [&](auto&& x) { t.insert(key, std::forward<decltype(x)>(x)); });
  return t;
}

toml::array toml_array(const nlohmann::json& array) {
  toml::array a;
  for (auto& item : array) put_value(item, [&](auto&& x) { a.push_back(std::forward<decltype(x)>(x)); });
  return a;
}

}  // namespace

nlohmann::json parse_data_text(std::string_view text, const std::string& origin) {
  if (ends_with(origin, ".json")) return parse_json_text(text, origin);
  return toml_as_json(parse_toml(text, origin));
}

void write_json_twin(const fs::path& toml_path, const fs::path& out) {
  write_file(out, read_data_file(toml_path).dump(2) + "\n");
}

std::string to_toml_text(const nlohmann::json& table) {
  std::ostringstream out;
  out << toml_table(table);
  return out.str();
}

#else  // built without toml++

nlohmann::json parse_data_text(std::string_view text, const std::string& origin) {
  if (ends_with(origin, ".json")) return parse_json_text(text, origin);
  require_toml("reading " + origin);
  return {};
}

void write_json_twin(const fs::path& toml_path, const fs::path&) {
  require_toml("writing the JSON twin of " + toml_path.string());
}

std::string to_toml_text(const nlohmann::json&) {
  require_toml("writing a TOML file");
  return {};
}

#endif

nlohmann::json read_data_file(const fs::path& toml_path) {
  if (toml_supported()) return parse_data_text(read_file(toml_path), toml_path.string());
  fs::path twin = json_twin(toml_path);
  if (!fs::exists(twin))
    throw UserError("this grader was built without toml++ and reads " + twin.string() +
                    " instead of " + toml_path.filename().string() + ", but there is none: grade from a "
                    "package that `./course package gradescope` wrote (it adds the .json twins), or install "
                    "libtomlplusplus-dev and rebuild the grader");
  return parse_data_text(read_file(twin), twin.string());
}

}  // namespace grader
