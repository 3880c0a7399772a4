#include "direct_link.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>

#include "compiler_choice.hpp"
#include "memo_file.hpp"
#include "process.hpp"

namespace grader {

namespace {

// The words of one job line; false if a quote is left open.
bool parse_job_line(const std::string& line, std::vector<std::string>& words) {
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    if (line[i] != '"') return false;  // the driver quotes every word of a job
    std::string word;
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      word += line[i];
    }
    if (i >= line.size()) return false;
    ++i;  // the closing quote
    words.push_back(std::move(word));
  }
  return !words.empty();
}

std::string output_of(const std::vector<std::string>& argv) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == "-o") return argv[i + 1];
  return "";
}

}  // namespace

std::vector<std::vector<std::string>> parse_driver_jobs(const std::string& dry_run_output) {
  std::vector<std::vector<std::string>> jobs;
  for (const auto& line : split_lines(dry_run_output)) {
    if (!starts_with(line, " \"")) continue;
    std::vector<std::string> words;
    if (!parse_job_line(line, words)) return {};
    jobs.push_back(std::move(words));
  }
  return jobs;
}

std::optional<std::vector<std::string>> linker_command_of(const std::vector<std::string>& driver_argv,
                                                          const fs::path& cwd) {
  if (driver_argv.empty() || !is_clang(driver_argv[0])) return std::nullopt;
  std::string output = output_of(driver_argv);
  if (output.empty()) return std::nullopt;
  // The driver leaves out of its dry run an input that does not exist yet
  // (the ThreadSanitizer cache never builds the skeleton's own objects):
  // such an input is named by an empty stand-in file, then named back.
  fs::path scratch = make_scratch_dir("goc-direct-link");
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{scratch};
  std::map<std::string, std::string> stand_ins;  // stand-in path -> the word it replaces
  RunOptions o;
  o.argv = {driver_argv[0]};
  for (std::size_t i = 1; i < driver_argv.size(); ++i) {
    const std::string& w = driver_argv[i];
    bool input = !starts_with(w, "-") && driver_argv[i - 1] != "-o";
    if (input && (ends_with(w, ".o") || ends_with(w, ".a")) && !fs::exists(cwd / w)) {
      fs::path stand_in = scratch / ("input-" + std::to_string(i) + fs::path(w).extension().string());
      write_file(stand_in, "");
      stand_ins[stand_in.string()] = w;
      o.argv.push_back(stand_in.string());
    } else {
      o.argv.push_back(w);
    }
  }
  o.argv.push_back("-###");
  o.cwd = cwd;
  o.timeout_seconds = 60;
  o.output_cap = 1 << 20;
  RunResult r = run(o);
  auto jobs = parse_driver_jobs(r.output);
  if (!r.ok() || contains(r.output, "error:") || jobs.size() != 1) return std::nullopt;
  std::vector<std::string> linker = jobs.front();
  for (auto& w : linker)
    if (auto it = stand_ins.find(w); it != stand_ins.end()) w = it->second;
  if (!fs::path(linker[0]).is_absolute() || access(linker[0].c_str(), X_OK) != 0) return std::nullopt;
  if (output_of(linker) != output) return std::nullopt;
  // Every input the driver was given must reach the linker as it was written.
  for (std::size_t i = 1; i < driver_argv.size(); ++i) {
    const std::string& w = driver_argv[i];
    if (starts_with(w, "-") || driver_argv[i - 1] == "-o") continue;
    if (std::find(linker.begin(), linker.end(), w) == linker.end()) return std::nullopt;
  }
  return linker;
}

std::optional<std::vector<std::string>> remembered_linker_command(const fs::path& memo,
                                                                  const std::vector<std::string>& driver_argv,
                                                                  const fs::path& cwd) {
  if (driver_argv.empty() || !is_clang(driver_argv[0])) return std::nullopt;
  // The answer depends on the driver line, the driver itself and the
  // installed packages (an upgraded compiler or runtime has other paths).
  std::string key = program_identity(driver_argv[0]) + "\n" + program_identity("/var/lib/dpkg/status");
  for (const auto& w : driver_argv) key += '\n' + w;
  if (auto value = recall(memo, key)) {
    if (!value->is_array()) return std::nullopt;  // the driver links
    auto linker = value->get<std::vector<std::string>>();
    if (!linker.empty() && access(linker[0].c_str(), X_OK) == 0) return linker;
  }
  auto linker = linker_command_of(driver_argv, cwd);
  remember(memo, key, linker ? nlohmann::json(*linker) : nlohmann::json());
  return linker;
}

}  // namespace grader
