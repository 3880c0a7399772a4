#include "memo_file.hpp"

namespace grader {

std::optional<nlohmann::json> recall(const fs::path& file, const std::string& key) {
  auto text = try_read_file(file);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || !json.contains("value") || json.value("key", "") != key) return std::nullopt;
  return json["value"];
}

void remember(const fs::path& file, const std::string& key, const nlohmann::json& value) {
  fs::path mine = file.string() + "." + random_token(6);
  std::error_code ec;
  try {
    write_file(mine, nlohmann::json{{"key", key}, {"value", value}}.dump());
  } catch (const std::exception&) {
    fs::remove(mine, ec);
    return;
  }
  fs::rename(mine, file, ec);
  if (ec) fs::remove(mine, ec);
}

std::string program_identity(const fs::path& path) {
  std::error_code ec;
  fs::path found = fs::canonical(path, ec);
  auto time = fs::last_write_time(found, ec);
  return found.string() + " " + std::to_string(ec ? 0 : time.time_since_epoch().count());
}

}  // namespace grader
