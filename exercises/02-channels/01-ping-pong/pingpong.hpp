// Contract for exercise 02-channels/01-ping-pong (instructor-owned: do not edit).
#pragma once

#include <functional>
#include <string>

/// Called by a player each time it hits the ball: hit("ping", 0), hit("pong", 1), ...
using Hit = std::function<void(const std::string& player, int ball)>;

/// Plays `rounds` rounds of ping-pong (rounds >= 0) between two goroutines,
/// "ping" and "pong", and returns the final ball, 2 * rounds.
///
/// The ball is an int. Ping serves ball 0. A player holding the ball calls
/// hit(its name, ball), then passes ball + 1 to the other player over an
/// unbuffered channel. A round is ping's hit followed by pong's hit. After
/// the last round ping tells pong (by closing pong's channel) that the game
/// is over, and ping's last ball is the result.
///
/// hit is called on the player's goroutine (ping's always on one goroutine,
/// pong's on another, neither the caller's), never by two goroutines at the
/// same time: each call happens before the next. No goroutine is left running.
int play_ping_pong(int rounds, const Hit& hit);
