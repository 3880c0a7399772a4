// goc/select.hpp: Go's select statement.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include "goc/detail/source_location.hpp"
#include <type_traits>
#include <utility>

#include "goc/channel.hpp"
#include "goc/detail/chan_core.hpp"

namespace goc {

/// @cond GOC_INTERNAL
namespace detail {

struct NoHandler {
  void operator()() const noexcept {}
};

template <class T, class F>
struct RecvCase {
  ChanBase* chan;
  F handler;
  SourceLocation where;
  T value{};
  bool ok = false;

  SelectCase erase() { return SelectCase{chan, false, &value, &ok, -1}; }
  void run() {
    if constexpr (std::is_invocable_v<F&, T&&, bool>) handler(std::move(value), ok);
    else if constexpr (std::is_invocable_v<F&, T&&>) handler(std::move(value));
    else {
      static_assert(std::is_invocable_v<F&>,
                    "a recv_case handler takes (T value, bool ok), (T value) or ()");
      handler();
    }
  }
};

template <class T, class F>
struct SendCase {
  ChanBase* chan;
  T value;
  F handler;
  SourceLocation where;

  SelectCase erase() { return SelectCase{chan, true, &value, nullptr, -1}; }
  void run() {
    static_assert(std::is_invocable_v<F&>, "a send_case handler takes no arguments");
    handler();
  }
};

template <class F>
struct DefaultCase {
  F handler;
  SourceLocation where;
  void run() {
    static_assert(std::is_invocable_v<F&>, "a default_case handler takes no arguments");
    handler();
  }
};

template <class C> struct IsDefault : std::false_type {};
template <class F> struct IsDefault<DefaultCase<F>> : std::true_type {};

}  // namespace detail
/// @endcond

/// A select case that receives from `ch`. When chosen, `handler` runs with the
/// value and ok flag (`(T v, bool ok)`), the value alone (`(T v)`), or nothing
/// (`()`); ok is false when the case was chosen because the channel is closed.
/// Go: `case v, ok := <-ch:`.
template <class T, class F = detail::NoHandler>
detail::RecvCase<T, std::decay_t<F>> recv_case(
    const Channel<T>& ch, F&& handler = {},
    SourceLocation where = SourceLocation::current()) {
  return {ch.core(), std::forward<F>(handler), where};
}
/// @copydoc recv_case
template <class T, class F = detail::NoHandler>
detail::RecvCase<T, std::decay_t<F>> recv_case(
    const RecvChan<T>& ch, F&& handler = {},
    SourceLocation where = SourceLocation::current()) {
  return {ch.core(), std::forward<F>(handler), where};
}

/// A select case that sends `value` on `ch`; `handler()` runs when it is chosen.
/// The value is taken when the case is built (Go evaluates it before choosing).
/// Go: `case ch <- value:`.
template <class T, class V, class F = detail::NoHandler>
detail::SendCase<T, std::decay_t<F>> send_case(
    const Channel<T>& ch, V&& value, F&& handler = {},
    SourceLocation where = SourceLocation::current()) {
  return {ch.core(), T(std::forward<V>(value)), std::forward<F>(handler), where};
}
/// @copydoc send_case
template <class T, class V, class F = detail::NoHandler>
detail::SendCase<T, std::decay_t<F>> send_case(
    const SendChan<T>& ch, V&& value, F&& handler = {},
    SourceLocation where = SourceLocation::current()) {
  return {ch.core(), T(std::forward<V>(value)), std::forward<F>(handler), where};
}

/// The case that runs when no other case is ready. Go: `default:`.
template <class F = detail::NoHandler>
detail::DefaultCase<std::decay_t<F>> default_case(
    F&& handler = {}, SourceLocation where = SourceLocation::current()) {
  return {std::forward<F>(handler), where};
}

/// Waits until one of the cases can proceed, performs it, runs its handler,
/// and returns the case's position in the argument list (0-based; a
/// default_case counts at its own position).
///
/// Blocking: without a default_case, blocks until some case is ready; with
/// one, never blocks. A case on a nil channel is never ready, so select with
/// only nil cases (or `select()` with none) blocks forever (the deadlock
/// detector reports it if nothing else can run).
///
/// Choice: when several cases are ready, one is picked uniformly at random,
/// as in Go; exactly one case proceeds and a value is never lost or delivered
/// twice. A select never pairs its own send with its own receive.
///
/// Panics: a ready send case on a closed channel panics
/// `send on closed channel`; exceptions from a handler pass through.
///
/// Memory ordering: as for the single operation the chosen case performs.
///
/// Go equivalent:
///
///     select {
///     case v, ok := <-jobs: ...
///     case results <- r: ...
///     case <-done: return
///     default: ...
///     }
///
/// Differences from Go: handlers are lambdas, so `return` inside one leaves
/// the lambda, not the enclosing function; use the returned index (or a flag)
/// to leave a loop. Channel operands are evaluated when the cases are built,
/// in source order, as in Go.
///
///     bool stop = false;
///     goc::select(
///         goc::recv_case(jobs, [&](int job, bool ok) { if (!ok) stop = true; else work(job); }),
///         goc::recv_case(done, [&] { stop = true; }),
///         goc::recv_case(goc::time_after(1s), [&] { std::puts("timeout"); }));
template <class... Cases>
int select(Cases&&... cases) {
  constexpr int n_default = (0 + ... + (detail::IsDefault<std::decay_t<Cases>>::value ? 1 : 0));
  static_assert(n_default <= 1, "a select has at most one default_case");
  constexpr int n = static_cast<int>(sizeof...(Cases));
  std::array<detail::SelectCase, n> erased{};
  std::array<int, n> position{};  // erased index -> argument position
  int m = 0, default_pos = -1, pos = 0;
  SourceLocation where = SourceLocation::current();
  bool have_where = false;
  auto collect = [&](auto& c) {
    using C = std::decay_t<decltype(c)>;
    if (!have_where) { where = c.where; have_where = true; }
    if constexpr (detail::IsDefault<C>::value) {
      default_pos = pos;
    } else {
      erased[m] = c.erase();
      erased[m].position = pos;
      position[m] = pos;
      ++m;
    }
    ++pos;
  };
  (collect(cases), ...);
  int chosen = detail::select_impl(erased.data(), m, default_pos >= 0, where);
  int chosen_pos = chosen < 0 ? default_pos : position[chosen];
  int i = 0;
  auto dispatch = [&](auto& c) {
    if (i++ == chosen_pos) c.run();
  };
  (dispatch(cases), ...);
  return chosen_pos;
}

/// `select {}`: blocks forever. Go's state for it is `select (no cases)`.
[[noreturn]] inline void select(SourceLocation where = SourceLocation::current()) {
  detail::block_forever(detail::GState::select_no_cases, where);
}

}  // namespace goc
