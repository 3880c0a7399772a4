// Hidden tests for 02-channels/01-ping-pong: no rounds, long games, repetition.
#include "goc/testing/catch.hpp"

#include <string>
#include <utility>
#include <vector>

#include <goc/goc.hpp>

#include "pingpong.hpp"

TEST_CASE("zero rounds return ball 0 without any hit") {
  int hits = 0;
  REQUIRE(play_ping_pong(0, [&](const std::string&, int) { ++hits; }) == 0);
  REQUIRE(hits == 0);
}

TEST_CASE("one round is one ping and one pong") {
  std::vector<std::pair<std::string, int>> log;
  REQUIRE(play_ping_pong(1, [&](const std::string& p, int b) { log.emplace_back(p, b); }) == 2);
  REQUIRE(log == std::vector<std::pair<std::string, int>>{{"ping", 0}, {"pong", 1}});
}

TEST_CASE("a 2000-round game alternates strictly and counts every hit") {
  // Plain ints written by both players: only the channel handoffs order them.
  int expected_ball = 0;
  bool alternating = true;
  std::string last_player = "pong";
  int final_ball = play_ping_pong(2000, [&](const std::string& player, int ball) {
    if (ball != expected_ball || player == last_player) alternating = false;
    ++expected_ball;
    last_player = player;
  });
  REQUIRE(final_ball == 4000);
  REQUIRE(expected_ball == 4000);
  REQUIRE(alternating);
}

TEST_CASE("30 short games in a row each end cleanly") {
  for (int game = 0; game < 30; ++game) {
    int hits = 0;
    int final_ball = play_ping_pong(game % 5, [&](const std::string&, int) { ++hits; });
    INFO("game " << game);
    REQUIRE(final_ball == 2 * (game % 5));
    REQUIRE(hits == 2 * (game % 5));
  }
}
