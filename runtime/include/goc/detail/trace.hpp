// goc/detail/trace.hpp: the trace recorder, what every goroutine did and when.
// Not part of the student-facing API: a program opts in with the environment
// variable GOC_TRACE=FILE (read once at start-up, like GOC_SCHEDULE), a test
// with trace_start(path) and trace_stop().
//
// While recording, the runtime notes every goroutine's start and end, each
// block (with its reason, where, and the channel) and the wake that ends it,
// every send, receive, close and select choice (the channel's id, the value's
// position in it, and the value itself when its type prints), WaitGroup and
// Mutex operations, and timers; each with the goroutine's id, the source line
// and a timestamp. The file is written when recording stops: trace_stop(),
// the program's normal exit, the test main's _exit, and every fatal exit the
// runtime owns (deadlock, panic, fatal error, the scheduler's reports, the
// SIGQUIT dump).
//
// The file is Chrome's Trace Event JSON (ui.perfetto.dev and chrome://tracing
// open it), in the shape the course's trace viewer reads ("goc-trace-1"):
// one track per goroutine with "running" and "blocked: <reason>" spans,
// instants for the operations, and arrows from each send to the receive that
// took its value ("c2#5": the 5th value into channel c2) and from each go()
// to the goroutine it started.
//
// Channels are numbered c1, c2, ... in the order make_chan made them (in a
// traced or scheduled run; otherwise when first traced), WaitGroups wg1, ...
// and Mutexes mu1, ... in the order they were first used while recording.
//
// Clock: real runs use microseconds since recording started. In a scheduled
// run (GOC_SCHEDULE) the clock is logical: every event advances it by one
// microsecond and a jump of the virtual clock adds its length, so one seed
// gives a byte-identical file. Real time comes from the TSC, whose reading
// costs about as much as a buffered send (10 ns on this course's AMD
// machines): so the hot events (a send or receive through a channel's
// buffer, a Mutex's Lock and Unlock) read it only when they come slowly.
// Once two of a thread's readings are less than about a microsecond apart,
// its next 15 hot events take none, and the flush places them evenly between
// the readings before and after them on that thread. Every other event
// (block, wake, hand-off, close, go, WaitGroup, timers) reads the clock,
// except a wake by a channel's partner or a WaitGroup's Done, which takes
// the waker's reading (see trace_unblock).
//
// Cost: off, each operation pays one relaxed load (hooks(), shared with the
// scheduler) and the test of its bit (Mutex.unlock too: a traced hold is
// marked in the mutex's own word, but telling from the word alone would cost
// a traced unlock a failed compare-and-swap, see mutex.hpp); channel
// operations are compiled twice, with and without the hooks, and the bit
// picks one (bench/trace-off-cost.sh counts the instructions against a build
// without the hooks). On, each event is 64 raw bytes appended to a buffer of
// the thread that made it, with no lock (the flush waits for each buffer's
// writer instead), and values are kept as bits; a hot event is 2 to 5
// words (a Mutex's untimed Lock 16 bytes where SourceLocation is one word),
// written by a short path of its own (a buffered send or receive does
// nothing else for the trace). The text and the file are made only
// when recording stops (bench/trace-on-cost.sh compares traced with
// untraced).
//
// When a hand-off completes with a parked partner, the goroutine completing
// it records the partner's side too (its send or receive, on its track, with
// its line and value) before waking it, so that every arrow has both ends
// even when the partner never runs again before the program ends.
//
// ThreadSanitizer: the recorder's locks and bookkeeping are blind (tsan.hpp),
// so recording adds no happens-before edge between goroutines and a racy
// program is still reported with tracing on.
//
// Differences from Go: Go's `go tool trace` records scheduler events in a
// binary format read by its own viewer; this trace is plain JSON and records
// the course's operations, with values and source lines.
//
//     goc::detail::trace_start("pool.trace.json");
//     run_pool();                      // goroutines, channels, ...
//     goc::detail::trace_stop();       // pool.trace.json is written here
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "goc/detail/schedule.hpp"
#include "goc/detail/source_location.hpp"

namespace goc::detail {

class ChanBase;
struct G;
enum class GState : std::uint8_t;

/// True while recording. One relaxed load (the word schedule_on() reads too).
inline bool trace_on() noexcept { return (hooks() & kHookTrace) != 0; }

/// Starts recording; the file at `path` is created (emptied) at once and
/// written when recording stops. Returns false, with the reason in *error,
/// when the file cannot be created or recording is already on.
bool trace_start(const std::string& path, std::string* error = nullptr);

/// Makes room for `events` events ahead of recording (trace_start makes room
/// for about 130,000): their memory is written now, not during the
/// operations (a first write to a page costs microseconds on some virtual
/// machines), and is kept for later recordings. For a benchmark or a test
/// that knows how much it will record.
void trace_reserve(std::size_t events);

/// Stops recording and writes the file. Returns false, with the reason in
/// *error, when nothing was recording or the file could not be written.
bool trace_stop(std::string* error = nullptr);

/// Writes the file if recording (for the runtime's exit paths): safe to call
/// more than once and from any thread; never throws.
void trace_flush() noexcept;

// ---------------------------------------------------------------------------
// Hooks, called by the runtime's operations. Each is called only when the
// operation saw trace_on() (so recording may have stopped meanwhile: each
// checks again, and the flush waits for those that saw it on).

/// What a channel operation did: the value's position in the channel (0:
/// none, e.g. a receive of a closed channel's zero value) and its timestamp.
/// A hand-off's is taken under the channel's lock, once for both ends; a
/// value moved through the buffer has none (0) and trace_chan_op reads the
/// clock after the lock, keeping the critical section short. Both readings
/// are unfenced: the flush moves a receive that reads earlier than its send
/// to the send's time (see trace_now_unfenced).
struct ChanMark {
  std::uint64_t pos = 0;
  std::uint64_t ts = 0;
  bool recorded = false;  // a select's parked case: the waker recorded its event
};

/// The trace clock now: nanoseconds since recording started (real), or the
/// next logical tick (scheduled runs). The real reading is fenced: it is
/// taken after every instruction before it (a lock just taken) has run.
std::uint64_t trace_now() noexcept;

/// The same without the fence (about half the cost on this course's virtual
/// machines): the processor may take the reading a little before the lock
/// just taken is held. For hand-offs, whose receive the flush never lets
/// precede its send, and for clocks with a floor (trace_sync's).
std::uint64_t trace_now_unfenced() noexcept;

/// A value as the trace keeps it: integers, bools and floating-point values
/// as their bits (printed only when the file is written), anything else that
/// prints as text.
inline constexpr std::uint8_t kTraceNone = 0, kTraceSigned = 1, kTraceUnsigned = 2,
                              kTraceBool = 3, kTraceDouble = 4, kTraceText = 5;
struct TraceValue {
  std::uint8_t kind = kTraceNone;
  std::uint64_t bits = 0;
  std::string text;  // kTraceText only
};

/// The value at `v` (an element of `c`) for the trace (kTraceNone when its
/// type does not print, or `v` or `c` is null).
TraceValue chan_trace_value(const ChanBase* c, const void* v);

/// The channel's id (the N of "cN"), given on first request.
std::uint64_t chan_id(const ChanBase* c) noexcept;

/// "c2 (made at pool.cpp:40)"; "nil channel" for nullptr.
std::string chan_label(const ChanBase* c);

/// The value at `v` (an element of `c`) as text, or "" when its type does not print.
std::string chan_value_text(const ChanBase* c, const void* v);

/// What `write` prints for the value at `v`, through a string stream (kept
/// out of the headers, which then need only <iosfwd>).
std::string stream_text(void (*write)(std::ostream&, const void*), const void* v);

/// A send, receive, close or select choice. `op` is "send", "recv", "close"
/// or "select"; for a select, `case_index` is the case chosen (-1: default)
/// and `sending` tells which way its channel went. `value` is kTraceNone when
/// the element type does not print (or for close).
void trace_chan_op(const char* op, const ChanBase* c, const ChanMark& mark,
                   const TraceValue& value, int case_index, bool sending, bool closed,
                   const SourceLocation& where);

/// A send (`sending`) or receive that completed without this goroutine
/// waiting: through `c`'s buffer, or a hand-off (`ts`: its time, read under
/// the channel's lock; 0 for a buffered one, a hot event whose time the
/// recorder takes). `pos` is the value's position; `kind` and `bits` the
/// value as chan_trace_value keeps it, never kTraceText. The commonest
/// events there are, recorded the short way (the event trace_chan_op would
/// record).
void trace_send_recv(const ChanBase* c, bool sending, std::uint64_t pos, std::uint8_t kind,
                    std::uint64_t bits, std::uint64_t ts, const SourceLocation& where);

/// The same, recorded on goroutine `g`'s track by the goroutine that
/// completed `g`'s parked operation (see ParkedTrace in chan_core.hpp).
void trace_partner_op(std::uint64_t g, const char* op, const ChanBase* c, const ChanMark& mark,
                      const TraceValue& value, int case_index, bool sending,
                      const SourceLocation& where);

/// go(): the running goroutine started goroutine `child` at `where`.
void trace_go(std::uint64_t child, const SourceLocation& where);
/// A goroutine's code starts / has ended, on its own thread.
void trace_goroutine_start(const G* g);
void trace_goroutine_end(const G* g);

/// The running goroutine blocks in state `s` at `where` (on `chan`, if any),
/// and runs again (set_blocked_state / set_running_state call these).
/// `woken_at`: the waker's reading of when the wait ended (a channel's
/// hand-off or close, a WaitGroup's Done), or 0. On the real clock it ends
/// the blocked span, at the time of the partner's event on this track, and
/// saves a reading (about 10 ns on this course's machines); the time until
/// the goroutine runs again is then drawn as running, where a reading of its
/// own drew it as blocked.
void trace_block(GState s, const SourceLocation& where, const ChanBase* chan);
void trace_unblock(std::uint64_t woken_at = 0);

/// A WaitGroup operation ("WaitGroup.Add", ...) at the time now, which it
/// returns (a goroutine it releases ends its wait there: trace_unblock).
/// `id` is the object's trace id, 0 until given: "wg" or "mu" then the number.
std::uint64_t trace_sync(const char* op, std::atomic<std::uint32_t>& id, const char* prefix,
                         const SourceLocation& where);

/// trace_object_id's first request for an object: gives it the next number.
std::uint32_t number_object(std::atomic<std::uint32_t>& id, const char* prefix) noexcept;

/// The object's trace id (the N of "wgN" or "muN"), given on first request;
/// `prefix` ("wg" or "mu") picks the numbering. Inline: a Mutex asks at
/// every traced Lock and Unlock.
inline std::uint32_t trace_object_id(std::atomic<std::uint32_t>& id, const char* prefix) noexcept {
  const std::uint32_t have = id.load(std::memory_order_relaxed);
  return have ? have : number_object(id, prefix);
}

/// A WaitGroup operation on object number `object`, at time `ts`.
void trace_sync_at(const char* op, std::uint32_t object, const SourceLocation& where,
                   std::uint64_t ts);

/// A Mutex's Lock (once held) or Unlock (`unlock`, once released), recorded
/// by the goroutine that held it. `seq` numbers the mutex's events in the
/// order the mutex saw them (its holder counts them, see Mutex::trace_word_):
/// their times may be placed rather than read (a hot event, see "Clock"
/// above), so the flush keeps each at or after the one before it, and a Lock
/// is never drawn before the Unlock that let it in.
void trace_mutex(bool unlock, std::uint32_t object, std::uint64_t seq,
                 const SourceLocation& where);

/// trace_mutex the short way, for a Mutex that keeps its records' header
/// word itself and counts its events in it (Mutex::trace_word_): `word` is
/// that header, the event's number in its low 32 bits and mutex_hot_top()
/// above, so that the record asks nothing of the number and builds nothing.
void trace_mutex_lock_word(std::uint64_t word, SourceLocation where);
void trace_mutex_unlock_word(std::uint64_t word, SourceLocation where);

/// The top half of a Mutex's hot record header for mutex number `object`
/// (its number, then the record's kind); 0 when the number does not fit
/// one, and the mutex's events go the long way.
std::uint32_t mutex_hot_top(std::uint32_t object) noexcept;

/// A timer: "timer set" (by the running goroutine) or "timer fired" (by the
/// runtime: recorded on track 0, "timers", as is what the firing sends).
void trace_timer(const char* what, const SourceLocation& where);

/// While one lives, this thread's events go to track 0 ("timers"): a timer
/// firing from whichever thread moves the clock.
class TraceTimerScope {
 public:
  TraceTimerScope() noexcept;
  ~TraceTimerScope();
  TraceTimerScope(const TraceTimerScope&) = delete;
  TraceTimerScope& operator=(const TraceTimerScope&) = delete;

 private:
  bool was_;
};

/// A schedule began (schedule.cpp): from here every event takes the long
/// way, which reads whether a schedule is on (the hot records do not).
void trace_schedule_began() noexcept;

/// A virtual-clock jump of `ns` (scheduled runs): the logical clock adds it.
void trace_clock_jump(std::uint64_t ns) noexcept;

}  // namespace goc::detail
