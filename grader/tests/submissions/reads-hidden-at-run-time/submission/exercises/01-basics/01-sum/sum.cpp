#include "sum.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// What a determined student tries: find the course on disk at run time and
// read the hidden tests and the reference solution.
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every folder above `path`.
void add_ancestors(std::string path, std::vector<std::string>& roots) {
  while (!path.empty()) {
    roots.push_back(path);
    auto cut = path.find_last_of('/');
    if (cut == std::string::npos || cut == 0) break;
    path = path.substr(0, cut);
  }
}

// Words of other processes' command lines and environments that look like paths.
void add_paths_from_proc(std::vector<std::string>& roots) {
  DIR* proc = opendir("/proc");
  if (!proc) return;
  while (dirent* e = readdir(proc)) {
    for (const char* what : {"cmdline", "environ"}) {
      std::string text = slurp(std::string("/proc/") + e->d_name + "/" + what);
      std::string word;
      for (char c : text + '\0') {
        if (c == '\0' || c == '=') {
          if (!word.empty() && word[0] == '/') add_ancestors(word, roots);
          word.clear();
        } else {
          word += c;
        }
      }
    }
    roots.push_back(std::string("/proc/") + e->d_name + "/root");
    roots.push_back(std::string("/proc/") + e->d_name + "/cwd");
  }
  closedir(proc);
}

std::string loot() {
  std::vector<std::string> roots;
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd)) add_ancestors(cwd, roots);
  add_ancestors(__FILE__, roots);
  add_paths_from_proc(roots);
  std::string found;
  for (const auto& root : roots)
    for (const char* course : {"", "/grader/tests/fixture-course", "/tests/fixture-course", "/fixture-course"})
      for (const char* file : {"/hidden/01-basics/01-sum/hidden_test.cpp", "/solutions/01-basics/01-sum/sum.cpp"}) {
        std::string text = slurp(root + course + file);
        if (!text.empty()) found += "FOUND " + root + course + file + ":\n" + text;
      }
  return found;
}

}  // namespace

long parallel_sum(const std::vector<int>& values, int workers) {
  (void)values;
  (void)workers;
  std::string found = loot();
  if (!found.empty()) throw std::runtime_error(found);
  return 0;
}
