// goc-run-leader: started by the grader for every program it runs (see
// leader.hpp). Not for people: it reads a plan from the grader's socket.
#include <linux/close_range.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "leader.hpp"

int main() {
  // Only the descriptors the grader placed stay open (leader.hpp).
  close_range(grader::leader_fd::first_free, ~0U, 0);
  std::string bytes;
  char buf[65536];
  while (true) {
    ssize_t got = read(grader::leader_fd::control, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    bytes.append(buf, static_cast<std::size_t>(got));
  }
  grader::LeaderPlan plan;
  if (!grader::decode_plan(bytes, plan)) {
    const char why[] = "goc-run-leader: the grader sent an incomplete plan";
    [[maybe_unused]] auto w = write(grader::leader_fd::error, why, sizeof why - 1);
    return 127;
  }
  grader::lead(plan);
}
