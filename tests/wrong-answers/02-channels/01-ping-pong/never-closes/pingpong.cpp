// WRONG: ping never closes pong's channel, so pong waits for a ball forever (a goroutine leak; here even a deadlock).
#include "pingpong.hpp"

#include <goc/goc.hpp>

namespace {

void ping(int rounds, goc::Channel<int> to_pong, goc::Channel<int> to_ping,
          goc::Channel<int> result, const Hit& hit) {
  int ball = 0;
  for (int round = 0; round < rounds; ++round) {
    hit("ping", ball);
    to_pong.send(ball + 1);
    ball = to_ping.recv();
  }
  result.send(ball);
}

void pong(goc::Channel<int> to_pong, goc::Channel<int> to_ping, const Hit& hit) {
  for (int ball : to_pong) {
    hit("pong", ball);
    to_ping.send(ball + 1);
  }
}

}  // namespace

int play_ping_pong(int rounds, const Hit& hit) {
  auto to_ping = goc::make_chan<int>();
  auto to_pong = goc::make_chan<int>();
  auto result = goc::make_chan<int>();
  goc::WaitGroup pong_left;
  pong_left.add(1);
  goc::go([=, &hit] { ping(rounds, to_pong, to_ping, result, hit); });
  goc::go([=, &hit, &pong_left] {
    pong(to_pong, to_ping, hit);
    pong_left.done();
  });
  int final_ball = result.recv();
  pong_left.wait();
  return final_ball;
}
