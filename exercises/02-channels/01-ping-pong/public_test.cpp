// Public tests for 02-channels/01-ping-pong.
//
// The hit log is a plain vector without a lock on purpose: the players take
// turns through the channels, and the race detector checks that they do.
#include "goc/testing/catch.hpp"

#include <string>
#include <utility>
#include <vector>

#include <goc/goc.hpp>

#include "pingpong.hpp"

using HitLog = std::vector<std::pair<std::string, int>>;

TEST_CASE("3 rounds end with ball 6 after alternating hits") {
  HitLog log;
  int final_ball = play_ping_pong(3, [&](const std::string& player, int ball) {
    log.emplace_back(player, ball);
  });
  REQUIRE(final_ball == 6);
  REQUIRE(log == HitLog{{"ping", 0}, {"pong", 1}, {"ping", 2}, {"pong", 3}, {"ping", 4}, {"pong", 5}});
}

TEST_CASE("ping and pong hit on two different goroutines, neither the caller") {
  std::vector<std::pair<std::string, std::uint64_t>> hitters;
  play_ping_pong(4, [&](const std::string& player, int) {
    hitters.emplace_back(player, goc::goroutine_id());
  });
  REQUIRE(hitters.size() == 8);
  std::uint64_t caller = goc::goroutine_id();
  std::uint64_t ping_id = hitters[0].second, pong_id = hitters[1].second;
  REQUIRE(ping_id != caller);
  REQUIRE(pong_id != caller);
  REQUIRE(ping_id != pong_id);
  for (auto& [player, id] : hitters) REQUIRE(id == (player == "ping" ? ping_id : pong_id));
}
