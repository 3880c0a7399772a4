// Runs one scenario of goc_scenarios in a child process and captures what it
// prints and how it exits: the way to test behaviour that ends a program
// (deadlock reports, panics, fatal errors).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#ifndef GOC_SCENARIOS
#error "GOC_SCENARIOS must name the scenario program"
#endif

struct ChildResult {
  int exit_status = -1;  // -1 when killed by a signal
  std::string output;    // stdout and stderr together
};

/// `env`: NAME=VALUE words put in the scenario's environment (e.g. a schedule).
inline ChildResult run_scenario(const std::string& name, const std::string& env = "") {
  // `timeout` guards against a scenario that hangs instead of being reported.
  std::string cmd = "env " + env + " timeout -k 5 60 '" + std::string(GOC_SCENARIOS) + "' " +
                    name + " 2>&1";
  ChildResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  int status = pclose(pipe);
  if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  return r;
}
