// Exercise 02-channels/01-ping-pong: an unbuffered ping-pong for N rounds.
//
// Task: complete the two players (see pingpong.hpp). play_ping_pong starts
// them and waits for the final ball; as written, the players do not play.
//
// The Go idea: an unbuffered channel is a rendezvous. A send completes only
// when a receiver takes the value, so handing over the ball also hands over
// the turn, and everything the sender did before the send (here: its call to
// hit) happens before everything the receiver does after. No mutex is needed
// to take turns. The side that sends is the side that closes, and a
// receiver can range over a channel until it is closed.
#include "pingpong.hpp"

#include <goc/goc.hpp>

namespace {

// ping serves ball 0, plays `rounds` rounds, then ends the game.
void ping(int rounds, goc::Channel<int> to_pong, goc::Channel<int> to_ping,
          goc::Channel<int> result, const Hit& hit) {
  int ball = 0;
  // TODO: play `rounds` rounds: hit the ball, pass ball + 1 to pong, and
  // wait for pong to pass it back.
  (void)rounds, (void)to_ping, (void)hit;
  // TODO: tell pong that the game is over.
  (void)to_pong;
  result.send(ball);
}

// pong returns every ball until ping says the game is over.
void pong(goc::Channel<int> to_pong, goc::Channel<int> to_ping, const Hit& hit) {
  // TODO: receive each ball on to_pong until it is closed: hit it, and pass
  // ball + 1 back to ping.
  (void)to_pong, (void)to_ping, (void)hit;
}

}  // namespace

int play_ping_pong(int rounds, const Hit& hit) {
  auto to_ping = goc::make_chan<int>();  // unbuffered: each pass is a rendezvous
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
  pong_left.wait();  // pong has seen the close and returned
  return final_ball;
}
