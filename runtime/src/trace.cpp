// The trace recorder (see goc/detail/trace.hpp).
//
// Each thread appends its events to a buffer of its own, with no lock: the
// buffer has one writer (its thread, or in a scheduled run its goroutine),
// and the flush waits for that writer to be outside an event before reading
// (see Recording and wait_for_writer). A buffer also keeps the open span of
// the goroutine running on its thread (running since T, or blocked since T
// on what), which the next block, wake or end closes. Buffers are never
// freed: a thread may end before the flush, and its events must stay.
//
// The hottest events (a send or receive that did not wait, a Mutex's Lock
// and Unlock) are short records written by a path of their own (try_hot),
// most of them without a clock reading (hot_event_time).
//
// The flush clears the trace bit first (late events then find it clear and
// are dropped), waits for the events already begun, gathers every buffer of
// this recording, makes its records whole events and places the hot ones
// that took no reading (whole_events, place_untimed), closes the spans still
// open at that moment, moves each receive read a little early to its send's
// time (receives_after_sends), keeps each Mutex's events in its order
// (mutex_events_in_order), sorts the events by (time, track, order made) and
// writes the JSON in one go.
#include "goc/detail/trace.hpp"

#include <linux/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "goc/detail/chan_core.hpp"
#include "goc/detail/sched.hpp"
#include "tsan.hpp"

namespace goc::detail {

RuntimeHooks runtime_hooks;

// sched.cpp: the calling thread's goroutine, without adopting a thread that has none.
G* current_g_if_any() noexcept;

namespace {

using Clock = std::chrono::steady_clock;

// The kinds of event; the last four are kinds of record only (see EventLog).
enum class Kind : std::uint8_t {
  name, run, block, chan, sync, timer, go, start, end, hot_chan, hot_chan_for, hot_mutex, pad
};

// One event: raw fields in one cache line, nothing formatted. Values keep
// their bits (TraceValue), and text (a thread's name, a value that prints
// only through operator<<) goes to the log's list of texts; a channel's
// birthplace and capacity are kept once per channel (chan_info), not per
// event. Everything is turned into JSON when the file is written. The hot
// events are recorded shorter (HotHeader) and made whole at the flush.
struct Event {
  // First, so that `kind` is where a hot record keeps its own (HotHeader).
  std::uint32_t line = 0;
  std::int16_t case_index = 0;  // select: the case chosen, -1 for default
  Kind kind = Kind::chan;
  std::uint8_t flags = 0;  // kSending | kClosed | the value's kind (TraceValue) << 2 | kUntimed
  std::uint64_t ts = 0;  // on the trace clock (see trace_now)
  union {
    std::uint64_t dur = 0;  // spans: on the trace clock too
    std::uint64_t pos;      // chan: the value's position, 0 for none; Mutex: its event's number
  };
  std::uint64_t value = 0;   // the value's bits, or its text's index in the log's texts
  std::uint64_t tid = 0;     // goroutine id; 0: the runtime's timers
  const char* name = "";     // the operation, or a span's reason
  const char* file = nullptr;
  std::uint64_t object = 0;  // channel id, WaitGroup/Mutex number, or go()'s child

  static constexpr std::uint8_t kSending = 1;  // the value went into the channel
  static constexpr std::uint8_t kClosed = 2;   // a receive of a closed channel's zero value
  static constexpr std::uint8_t kValueKind = 7 << 2;
  static constexpr std::uint8_t kUntimed = 0x80;  // no reading: placed by the flush (stamp)
  bool sending() const { return flags & kSending; }
  bool closed() const { return flags & kClosed; }
  std::uint8_t value_kind() const { return static_cast<std::uint8_t>((flags & kValueKind) >> 2); }
};
static_assert(sizeof(Event) == 64, "an event is one cache line");

// A hot event's record (a send or receive that completed without waiting,
// a Mutex's Lock or Unlock), 2 to 5 words where an event takes 8: fewer
// fields to fill and less memory to stream (about 3 ns for 64 bytes on this
// course's AMD machines, where a buffered send and its receive take 13 ns).
// The header's word, then for a parked partner's event (recorded by the
// goroutine that completed it) the partner's goroutine, then for a channel
// the value's bits, then the SourceLocation as it is, then the time, only
// when read (no kUntimed flag; most hot events take none, see
// hot_event_time). The goroutine is the buffer's at that
// point (its track's last name event): a hot record is written only by the
// goroutine bound to it.
struct HotHeader {
  std::uint32_t pos;     // the value's position, or the Mutex event's number
  std::uint16_t object;  // the channel's or Mutex's number
  Kind kind;             // hot_chan, hot_chan_for or hot_mutex
  std::uint8_t flags;    // as Event's, with kUnlock for a Mutex
  static constexpr std::uint8_t kUnlock = 1;
};
static_assert(sizeof(HotHeader) == 8 && offsetof(HotHeader, kind) == offsetof(Event, kind),
              "a record's kind is in the same place whatever its length");
static_assert(sizeof(SourceLocation) % 8 == 0 && std::is_trivially_copyable_v<SourceLocation>,
              "a SourceLocation is kept as its words");
constexpr std::size_t kEventWords = sizeof(Event) / 8;
constexpr std::size_t kWhereWords = sizeof(SourceLocation) / 8;

// Memory for events, in chunks of 64 KiB (1024 whole events, or up to 2,730
// hot ones) that never move.
// The first write to a fresh page is dear on a virtual machine whose
// hypervisor shadows the page tables (this one: ~16 us a page, ~250 ns an
// event, more than most operations cost), even with the page populated by
// mmap. So chunks are written once ahead of use (trace_reserve; trace_start
// reserves kDefaultReserve) and kept for the next recording when a flush
// frees them, up to kKeepBytes; beyond that they go back to the system.
constexpr std::size_t kChunkBytes = std::size_t{64} << 10;
constexpr std::size_t kDefaultReserve = std::size_t{8} << 20;
constexpr std::size_t kKeepBytes = std::size_t{256} << 20;

class ChunkPool {
 public:
  // A written chunk if one is spare, else a fresh one (nullptr: out of memory).
  void* take() {
    {
      tsan::BlindLock lock(mu_);
      if (!spare_.empty()) {
        void* p = spare_.back();
        spare_.pop_back();
        return p;
      }
    }
    void* p = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  void give_back(void* p) noexcept {
    {
      tsan::BlindLock lock(mu_);
      if (spare_.size() * kChunkBytes < kKeepBytes) {
        try {
          spare_.push_back(p);
          return;
        } catch (...) {  // out of memory: the chunk goes back to the system
        }
      }
    }
    munmap(p, kChunkBytes);
  }
  // Makes at least `bytes` of written chunks spare.
  void reserve(std::size_t bytes) {
    std::size_t have;
    {
      tsan::BlindLock lock(mu_);
      have = spare_.size() * kChunkBytes;
    }
    if (have >= bytes) return;
    std::size_t more = (bytes - have + kChunkBytes - 1) / kChunkBytes * kChunkBytes;
    void* p = mmap(nullptr, more, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;  // no reserve: chunks are made as needed
    // The writes that cost, made now; bookkeeping for ThreadSanitizer, like
    // the events later written there under a blind lock.
    tsan::ignore_accesses_begin();
    std::memset(p, 0, more);
    tsan::ignore_accesses_end();
    tsan::BlindLock lock(mu_);
    for (std::size_t off = 0; off < more; off += kChunkBytes) {
      try {
        spare_.push_back(static_cast<char*>(p) + off);
      } catch (...) {
        munmap(static_cast<char*>(p) + off, kChunkBytes);
      }
    }
  }

 private:
  std::mutex mu_;  // taken blind
  std::vector<void*> spare_;
};

ChunkPool& chunk_pool() {
  static ChunkPool* pool = new ChunkPool;  // never destroyed, like the recorder
  return *pool;
}

// A thread's records: words in chunks from the pool, filled in turn. A
// record is a whole Event (kEventWords) or a hot one (HotHeader); one that
// does not fit in what is left of a chunk starts the next, and a pad record
// ends the one it left.
class EventLog {
 public:
  EventLog() = default;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  ~EventLog() { clear(); }

  void push_back(const Event& e) { emplace() = e; }
  // A new blank event, made in place: filled there, it is never copied (a
  // copy of one just built reads back its narrow stores as wide loads, which
  // the processor cannot forward: ~10 ns an event).
  [[gnu::always_inline]] Event& emplace() { return *new (words(kEventWords)) Event(); }
  // Room for a record of `n` words. Inlined into each recorder: two pointers
  // compared and one bumped.
  [[gnu::always_inline]] std::uint64_t* words(std::size_t n) {
    if (room() < n) [[unlikely]] grow();
    return take(n);
  }
  // The same without growing, for a caller that has seen room() >= n (the
  // hot records' path calls nothing, see try_hot).
  [[gnu::always_inline]] std::uint64_t* take(std::size_t n) {
    std::uint64_t* p = next_;
    next_ += n;
    return p;
  }
  std::size_t room() const { return static_cast<std::size_t>(end_ - next_); }
  // Keeps `text` for an event; returns its index (the event's value).
  std::uint64_t add_text(std::string text) {
    texts_.push_back(std::move(text));
    return texts_.size() - 1;
  }
  const std::string& text(std::uint64_t i) const { return texts_[i]; }
  // Calls f(first word) for each record, in the order written.
  template <class F>
  void for_each_record(F f) const {
    for (std::size_t k = 0; k < chunks_.size(); ++k) {
      const std::uint64_t* p = chunks_[k];
      const std::uint64_t* end = k + 1 < chunks_.size() ? p + kChunkWords : next_;
      while (p < end && kind_of(p) != Kind::pad) p += f(p);
    }
  }
  void clear() {
    for (std::uint64_t* c : chunks_) chunk_pool().give_back(c);
    chunks_.clear();
    next_ = end_ = nullptr;
    texts_.clear();
  }
  void swap(EventLog& other) noexcept {
    chunks_.swap(other.chunks_);
    std::swap(next_, other.next_);
    std::swap(end_, other.end_);
    texts_.swap(other.texts_);
  }
  static Kind kind_of(const std::uint64_t* record) {
    Kind k;
    std::memcpy(&k, reinterpret_cast<const char*>(record) + offsetof(Event, kind), sizeof k);
    return k;
  }

 private:
  static constexpr std::size_t kChunkWords = kChunkBytes / 8;

  [[gnu::noinline]] void grow() {
    void* p = chunk_pool().take();
    if (!p) throw std::bad_alloc();  // the event is lost
    try {
      chunks_.push_back(static_cast<std::uint64_t*>(p));
    } catch (...) {
      chunk_pool().give_back(p);
      throw;  // the event is lost
    }
    if (next_ != end_) {  // the rest of the chunk left is a pad
      HotHeader pad{0, 0, Kind::pad, 0};
      std::memcpy(next_, &pad, sizeof pad);
    }
    next_ = static_cast<std::uint64_t*>(p);
    end_ = next_ + kChunkWords;
  }

  std::vector<std::uint64_t*> chunks_;  // each kChunkWords; the last filled up to next_
  std::uint64_t* next_ = nullptr;       // where the next record goes
  std::uint64_t* end_ = nullptr;        // the end of the last chunk
  std::vector<std::string> texts_;
};

struct Buffer {
  // 1 while the writer is inside an event (Recording): the flush waits for 0.
  std::atomic<std::uint32_t> writing{0};
  EventLog events;
  std::uint64_t session = 0;  // the recording the events belong to
  // The goroutine on this thread (0: none yet) and its open span.
  std::uint64_t g = 0;
  bool open = false;
  bool blocked = false;
  std::uint64_t since = 0;
  const char* reason = "";
  const char* file = nullptr;
  std::uint32_t line = 0;
  std::uint64_t chan = 0;  // 0: none, ~0: a nil channel
  // The clock of hot events (Recording::stamp): the last reading one took,
  // and how many more may go without.
  std::uint64_t last_reading = 0;
  std::uint32_t untimed_left = 0;
  // The session while the buffer is bound to a goroutine in it (g != 0),
  // else 0: the hot records' key (see hot_session).
  std::uint64_t hot_key = 0;
};

// The buffer serves no goroutine until its next one's first event.
void unbind(Buffer& b) {
  b.g = 0;
  b.hot_key = 0;
}

constexpr std::uint64_t kNilChan = ~std::uint64_t{0};
constexpr std::uint64_t kUntimed = 0;  // a hot event's time when it took no reading

struct ChanInfo {
  const char* made_file = nullptr;
  std::uint32_t made_line = 0;
  std::uint64_t cap = 0;
};

struct Recorder {
  std::mutex mu;  // guards buffers and out; taken blind
  std::vector<Buffer*> buffers;
  std::FILE* out = nullptr;
  std::string path;
  std::string schedule_spec;
  std::mutex flush_mu;  // one flush at a time: a second waits, then finds nothing to do
  // The real clock: the tick counter at the start, and steady_clock then
  // (the flush measures how many nanoseconds a tick lasted since).
  std::atomic<std::uint64_t> origin_ticks{0};
  std::atomic<std::int64_t> origin_ns{0};
  std::atomic<std::uint64_t> logical{0};
  // Per channel id (index id - 1): where it was made and its capacity.
  std::mutex chans_mu;  // taken blind, once per channel numbered
  std::vector<ChanInfo> chans;
  std::atomic<std::uint64_t> next_chan{1}, next_wg{1}, next_mu{1};
  bool exit_hook = false;
  // In a scheduled run every goroutine is a fiber on main's thread: each gets
  // a buffer of its own, or one goroutine's open span (say, blocked on a
  // channel) would be closed by the next goroutine recording on the thread.
  std::unordered_map<std::uint64_t, Buffer*> by_goroutine;  // guarded by mu
};

// What every event reads, kept outside the Recorder: constant-initialized,
// so reached without rec()'s first-call check.
constinit std::atomic<std::uint64_t> recording_session{0};  // which recording: +1 per start
constinit std::atomic<bool> logical_clock{false};           // a scheduled run's clock
// The recording whose goroutines may write hot records (try_hot_with): its
// session while it runs on the real clock, with no schedule, and with
// membarrier's fence for the writers (see writer_fence); else kNoHotSession.
// A buffer takes part through its hot_key: one comparison for all of that.
constexpr std::uint64_t kNoHotSession = ~std::uint64_t{0};
constinit std::atomic<std::uint64_t> hot_session{kNoHotSession};

Recorder& rec() {
  static Recorder* r = new Recorder;  // never destroyed: goroutines outlive static destructors
  return *r;
}

// The handshake between a buffer's writer and the flush (Dekker's): the
// writer sets its `writing` then reads the trace bit; the flush clears the
// bit then reads every `writing`. Each side needs a full fence between its
// write and its read, or both could miss the other's write. The writer's
// fence would cost as much as the lock it replaces, so where Linux offers
// membarrier(2) the flush pays for both: its membarrier runs a full fence on
// every thread of the process, and the writer needs only the compiler's.
// ThreadSanitizer does not model membarrier: its builds fence both sides.
bool register_membarrier() noexcept {
#if defined(__linux__) && !defined(GOC_TSAN)
  return syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
#else
  return false;
#endif
}

// Set once, before the first recording starts, never cleared.
std::atomic<bool> membarrier_ready{false};

// A full fence. ThreadSanitizer models no fence (g++ warns, -Wtsan): its
// builds get the same instruction unseen.
void full_fence() noexcept {
#if defined(GOC_TSAN) && defined(__x86_64__)
  asm volatile("mfence" ::: "memory");
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

void writer_fence() noexcept {
  if (membarrier_ready.load(std::memory_order_relaxed))
    std::atomic_signal_fence(std::memory_order_seq_cst);
  else
    full_fence();
}

void flush_fence() noexcept {
  full_fence();
#if defined(__linux__)
  if (membarrier_ready.load(std::memory_order_relaxed))
    syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#endif
}

// The writer's flag, seen by ThreadSanitizer as no synchronization: the
// recorder must not order goroutines that the program leaves unordered.
void set_writing(Buffer& b, std::uint32_t v) noexcept {
  tsan::ignore_sync_begin();
  b.writing.store(v, v ? std::memory_order_relaxed : std::memory_order_release);
  tsan::ignore_sync_end();
}

// Waits (the flush, after flush_fence) until `b`'s writer is outside an
// event; false if it has not left after a few seconds (a thread stopped
// inside one, e.g. by the signal whose handler flushes): then its events are
// left out rather than the exit hanging.
bool wait_for_writer(const Buffer& b) noexcept {
  tsan::ignore_sync_begin();
  bool left = false;
  for (int i = 0; i < 3000000 && !left; ++i) {
    left = b.writing.load(std::memory_order_acquire) == 0;
    if (!left) std::this_thread::yield();
  }
  tsan::ignore_sync_end();
  return left;
}

thread_local Buffer* my_buffer_ptr = nullptr;
thread_local bool timer_flag = false;
// Untracked (tsan.hpp): in a scheduled run the goroutines share main's thread.
GOC_TSAN_UNTRACKED bool as_timer() { return timer_flag; }
GOC_TSAN_UNTRACKED void set_as_timer(bool on) { timer_flag = on; }

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// The real trace clock. On x86-64 the time-stamp counter: a few nanoseconds
// to read, where steady_clock takes about a hundred on a virtual machine
// whose clock source is not the TSC (kvm-clock here), and an event or two
// per operation read it. The flush converts ticks to nanoseconds with the
// rate it measures over the recording against steady_clock. The fence keeps
// the reading after the instructions before it (a lock just taken); it costs
// as much as the reading (~20 ns after a locked instruction on this course's
// virtual machines), so the hottest events go without (unfenced_ticks) and
// keep their order by other means.
std::uint64_t ticks() noexcept {
#if defined(__x86_64__)
  _mm_lfence();
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(steady_ns());
#endif
}

std::uint64_t unfenced_ticks() noexcept {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(steady_ns());
#endif
}

// my_buffer() the first time on a thread, and in a scheduled run (a buffer
// per goroutine): kept out of line, so that the common case is a load.
[[gnu::noinline]] Buffer& my_buffer_slow() {
  if (schedule_on() && !as_timer()) {
    if (const G* g = current_g_if_any()) {
      tsan::BlindLock lock(rec().mu);
      Buffer*& b = rec().by_goroutine[g->id];
      if (!b) {
        b = new Buffer;
        rec().buffers.push_back(b);
      }
      return *b;
    }
  }
  if (!my_buffer_ptr) {
    auto* b = new Buffer;
    tsan::BlindLock lock(rec().mu);
    rec().buffers.push_back(b);
    my_buffer_ptr = b;
  }
  return *my_buffer_ptr;
}

inline Buffer& my_buffer() {
  if (my_buffer_ptr && !schedule_on()) [[likely]] return *my_buffer_ptr;
  return my_buffer_slow();
}

}  // namespace

// A goroutine on a fiber takes its own buffer with it from thread to thread
// (processors.cpp swaps it in and out at every switch).
void* trace_thread_buffer() noexcept { return my_buffer_ptr; }
void set_trace_thread_buffer(void* buffer) noexcept {
  my_buffer_ptr = static_cast<Buffer*>(buffer);
}

namespace {

// The file name without its directories: traces read the same from any checkout.
const char* base_name(const char* path) {
  if (!path) return "";
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

const char* reason_of(GState s) {
  switch (s) {
    case GState::chan_send:
    case GState::chan_send_nil: return "chan send";
    case GState::chan_receive:
    case GState::chan_receive_nil: return "chan receive";
    case GState::select:
    case GState::select_no_cases: return "select";
    case GState::waitgroup_wait: return "WaitGroup.Wait";
    case GState::mutex_lock: return "Mutex.Lock";
    case GState::sleep: return "sleep";
    case GState::runnable: return "runnable";  // goc::yield(): waiting for a thread
    default: return "blocked";
  }
}

// Fills `e` (blank) with the open span of `b`'s goroutine, ended at `now`
// (b.open: there is one).
Event& fill_span(Event& e, const Buffer& b, std::uint64_t now) {
  e.kind = b.blocked ? Kind::block : Kind::run;
  e.ts = b.since;
  e.dur = now > b.since ? now - b.since : 0;
  e.tid = b.g;
  e.name = b.reason;
  e.file = b.file;
  e.line = b.line;
  e.object = b.chan;
  return e;
}

// The same, as a new event.
Event span_until(const Buffer& b, std::uint64_t now) {
  Event e;
  return fill_span(e, b, now);
}

void close_span_locked(Buffer& b, std::uint64_t now) {
  if (!b.open) return;
  fill_span(b.events.emplace(), b, now);  // in place: a copy costs more (see emplace)
  b.open = false;
}

void open_span_locked(Buffer& b, std::uint64_t now, bool blocked, const char* reason = "running",
                      const char* file = nullptr, std::uint32_t line = 0, std::uint64_t chan = 0) {
  b.open = true;
  b.blocked = blocked;
  b.since = now;
  b.reason = reason;
  b.file = file;
  b.line = line;
  b.chan = chan;
}

// Hot events in a burst: two readings of a thread less than kBurstTicks
// apart (about a microsecond: 2.6 ticks a nanosecond on this course's
// machines) let its next kBurst - 1 hot events go without one.
constexpr std::uint64_t kBurstTicks = 2048;
constexpr std::uint32_t kBurst = 16;

// The time of a hot event written to `b` (see trace.hpp, "Clock"): a
// reading, or kUntimed in a burst, for the flush to place (place_untimed).
// The real clock only: a scheduled run's is logical, and its events go the
// long way.
[[gnu::always_inline]] inline std::uint64_t hot_event_time(Buffer& b) noexcept {
  if (b.untimed_left) {
    --b.untimed_left;
    return kUntimed;
  }
  const std::uint64_t t = unfenced_ticks();
  b.untimed_left = t - b.last_reading < kBurstTicks ? kBurst - 1 : 0;
  b.last_reading = t;
  return t;
}

// Takes this thread's buffer for one event; false when recording is off
// (it may have stopped since the caller looked). Binds the buffer to the
// goroutine running on this thread, naming its track on first sight.
// No lock: the buffer's `writing` flag, set for the Recording's life, tells
// the flush to wait (see writer_fence).
class Recording {
 public:
  // `now`: the event's time, for a track named here (kUntimed: read then).
  [[gnu::always_inline]] explicit Recording(std::uint64_t now) : b_(my_buffer()), inside_(b_) {
    ok_ = trace_on();
    if (!ok_) return;
    inside_.ignore_accesses();
    if (b_.session != recording_session.load(std::memory_order_relaxed)) [[unlikely]]
      new_session();
    if (as_timer()) {
      tid_ = 0;
      return;
    }
    const G* g = current_g_if_any();
    tid_ = g ? g->id : 0;
    if (tid_ != b_.g && tid_ != 0) [[unlikely]] bind(g, now);
  }
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;
  explicit operator bool() const { return ok_; }
  Buffer& buffer() { return b_; }

  std::uint64_t stamp() {
    return logical_clock.load(std::memory_order_relaxed) ? trace_now() : hot_event_time(b_);
  }
  std::uint64_t tid() const { return tid_; }
  void add(Event e) { add_as(tid_, e); }
  // A blank event of this goroutine (or of `tid`), in place in the buffer.
  Event& emplace() { return emplace_as(tid_); }
  Event& emplace_as(std::uint64_t tid) {
    Event& e = b_.events.emplace();
    e.tid = tid;
    return e;
  }
  // An event of goroutine `tid`, recorded by this one (a parked partner's).
  void add_as(std::uint64_t tid, Event e) {
    e.tid = tid;
    b_.events.push_back(e);
  }
  // Keeps a value with event `e`: its bits, or its text in the log.
  void set_value(Event& e, const TraceValue& v) {
    std::uint8_t kind = v.kind;
    if (kind == kTraceText && v.text.empty()) kind = kTraceNone;  // prints as nothing
    // The value first: if keeping its text runs out of memory, the event
    // (already in the buffer) stays one with no value.
    e.value = kind == kTraceText ? b_.events.add_text(v.text) : v.bits;
    e.flags = static_cast<std::uint8_t>((e.flags & ~Event::kValueKind) | (kind << 2));
  }

 private:
  // The buffer's first event of this recording: what it held is dropped.
  [[gnu::noinline]] void new_session() {
    b_.events.clear();
    b_.session = recording_session.load(std::memory_order_relaxed);
    unbind(b_);
    b_.open = false;
    b_.last_reading = 0;
    b_.untimed_left = 0;
  }

  // The buffer's first event of goroutine `g`: its track is named.
  [[gnu::noinline]] void bind(const G* g, std::uint64_t now) {
    if (now == kUntimed) now = trace_now();
    close_span_locked(b_, now);  // a goroutine that ended unseen (recording started late)
    b_.g = tid_;
    b_.hot_key = b_.session;
    std::string text;
    if (g->is_main) {
      text = "main";
    } else if (g->created_line == 0) {
      text = "g" + std::to_string(tid_) + " " + g->created_file;
    } else {
      text = "g" + std::to_string(tid_) + " started at " + base_name(g->created_file) + ":" +
             std::to_string(g->created_line);
    }
    Event name;
    name.kind = Kind::name;
    name.tid = tid_;
    name.value = b_.events.add_text(std::move(text));
    name.flags = kTraceText << 2;
    b_.events.push_back(name);
    open_span_locked(b_, now, false);
  }

  // The writer's side of the handshake, for the Recording's life (also when
  // the constructor throws, out of memory, after setting it).
  class Inside {
   public:
    explicit Inside(Buffer& b) noexcept : b_(b) {
      set_writing(b_, 1);
      writer_fence();
    }
    ~Inside() {
      if (ignoring_) tsan::ignore_accesses_end();
      set_writing(b_, 0);
    }
    Inside(const Inside&) = delete;
    Inside& operator=(const Inside&) = delete;
    // The recorder's memory is bookkeeping, unseen by ThreadSanitizer (tsan.hpp).
    void ignore_accesses() noexcept {
      tsan::ignore_accesses_begin();
      ignoring_ = true;
    }

   private:
    Buffer& b_;
    bool ignoring_ = false;
  };

  Buffer& b_;
  Inside inside_;
  bool ok_ = false;
  std::uint64_t tid_ = 0;
};

Event& fill_instant(Event& e, Kind kind, const char* name, std::uint64_t ts,
                    const SourceLocation& where) {
  e.kind = kind;
  e.name = name;
  e.ts = ts;
  e.file = where.file_name();
  e.line = where.line();
  return e;
}

Event instant(Kind kind, const char* name, std::uint64_t ts, const SourceLocation& where) {
  Event e;
  return fill_instant(e, kind, name, ts, where);
}

// ---------------------------------------------------------------------------
// Writing the file.

bool is_mutex_event(const Event& e) { return e.kind == Kind::sync && e.name[0] == 'M'; }

void append_escaped(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (ch < 0x20) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", ch);
          out += hex;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
}

std::string micros(std::uint64_t ns, bool logical) {
  char text[32];
  if (logical) std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(ns / 1000));
  else std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ns) / 1000.0);
  return text;
}

std::string chan_name(std::uint64_t id) {
  if (id == kNilChan) return "nil";
  std::string name = "c";  // appended, not "c" + ...: g++ 12 warns wrongly (-Wrestrict) at -O2
  name += std::to_string(id);
  return name;
}

std::string where_of(const char* file, std::uint32_t line) {
  return std::string(base_name(file)) + ":" + std::to_string(line);
}

// A value's bits (or text) as the file shows it; "" for none.
std::string value_text(const Event& e, const EventLog& log) {
  switch (e.value_kind()) {
    case kTraceSigned: return std::to_string(static_cast<std::int64_t>(e.value));
    case kTraceUnsigned: return std::to_string(e.value);
    case kTraceBool: return e.value ? "true" : "false";
    case kTraceDouble: {
      double d;
      std::memcpy(&d, &e.value, sizeof d);
      return std::to_string(d);  // as format_value prints it
    }
    case kTraceText: return log.text(e.value);
    default: return "";
  }
}

struct JsonWriter {
  std::string out;  // written to `file` (and emptied) every megabyte or so
  std::FILE* file = nullptr;
  bool failed = false;
  bool logical;
  bool first = true;
  // The real clock: ticks since `origin`, times `ns_per_tick`, are nanoseconds.
  std::uint64_t origin = 0;
  double ns_per_tick = 1.0;
  std::vector<ChanInfo> chans;     // by channel id - 1
  const EventLog* log = nullptr;   // the log of the event being written

  std::uint64_t ns(std::uint64_t ts) const {
    if (logical) return ts;
    return ts > origin ? static_cast<std::uint64_t>(std::llround(static_cast<double>(ts - origin) *
                                                                 ns_per_tick))
                       : 0;
  }

  void write_out() {
    if (!out.empty() && std::fwrite(out.data(), 1, out.size(), file) != out.size()) failed = true;
    out.clear();
  }

  void begin(const char* ph, const char* cat, const std::string& name, std::uint64_t ts,
             std::uint64_t tid) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"ph\":\"";
    out += ph;
    out += "\"";
    if (cat) {
      out += ",\"cat\":\"";
      out += cat;
      out += "\"";
    }
    out += ",\"name\":";
    append_escaped(out, name);
    out += ",\"ts\":" + micros(ns(ts), logical) + ",\"pid\":1,\"tid\":" + std::to_string(tid);
  }
  void where_args(const Event& e) {
    out += "\"file\":";
    append_escaped(out, base_name(e.file));
    out += ",\"line\":" + std::to_string(e.line);
  }
  void flow(const char* ph, const char* cat, const std::string& id, std::uint64_t ts,
            std::uint64_t tid) {
    begin(ph, cat, id, ts, tid);
    out += ",\"id\":";
    append_escaped(out, id);
    if (ph[0] == 'f') out += ",\"bp\":\"e\"";
    out += "}";
  }

  void metadata(std::uint64_t tid, const std::string& name) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":" + std::to_string(tid) +
           ",\"args\":{\"name\":";
    append_escaped(out, name);
    out += "}},\n  {\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":" +
           std::to_string(tid) + ",\"args\":{\"sort_index\":" + std::to_string(tid) + "}}";
  }

  void span(const Event& e) {
    bool blocked = e.kind == Kind::block;
    // A goroutine that yielded waits for a thread, not for another goroutine.
    const bool runnable = blocked && std::strcmp(e.name, "runnable") == 0;
    begin("X", blocked ? "block" : "run",
          runnable ? std::string("runnable") : blocked ? std::string("blocked: ") + e.name : "running",
          e.ts, e.tid);
    out += ",\"dur\":" + micros(ns(e.ts + e.dur) - ns(e.ts), logical);
    if (blocked) {
      out += ",\"args\":{\"reason\":\"";
      out += e.name;
      out += "\",";
      where_args(e);
      if (e.object) out += ",\"chan\":\"" + chan_name(e.object) + "\"";
      out += "}";
    }
    out += "}";
  }

  void chan(const Event& e) {
    begin("i", "chan", e.name, e.ts, e.tid);
    out += ",\"s\":\"t\",\"args\":{";
    if (e.object) {
      ChanInfo info;
      if (e.object != kNilChan && e.object <= chans.size()) info = chans[e.object - 1];
      out += "\"chan\":\"" + chan_name(e.object) + "\",\"made\":";
      append_escaped(out, where_of(info.made_file, info.made_line));
      out += ",\"cap\":" + std::to_string(info.cap) + ",";
    }
    if (e.pos) out += "\"pos\":" + std::to_string(e.pos) + ",";
    if (e.value_kind() != kTraceNone && !e.closed()) {
      out += "\"value\":";
      append_escaped(out, value_text(e, *log));
      out += ",";
    }
    if (e.closed()) out += "\"closed\":true,";
    if (std::strcmp(e.name, "select") == 0) {
      out += "\"case\":" + std::to_string(e.case_index) + ",";
      if (e.case_index >= 0) out += e.sending() ? "\"op\":\"send\"," : "\"op\":\"recv\",";
    }
    where_args(e);
    out += "}}";
    if (e.pos && e.object && e.object != kNilChan) {
      std::string id = chan_name(e.object) + "#" + std::to_string(e.pos);
      flow(e.sending() ? "s" : "f", "handoff", id, e.ts, e.tid);
    }
  }

  void other(const Event& e) {
    const char* cat = e.kind == Kind::sync ? "sync" : e.kind == Kind::timer ? "timer" : "go";
    begin("i", cat, e.name, e.ts, e.tid);
    out += ",\"s\":\"t\",\"args\":{";
    if (e.kind == Kind::sync) {
      out += "\"object\":\"";
      out += e.name[0] == 'W' ? "wg" : "mu";  // WaitGroup.* or Mutex.*
      out += std::to_string(e.object) + "\",";
      if (is_mutex_event(e)) out += "\"seq\":" + std::to_string(e.pos) + ",";  // the mutex's own order
    }
    if (e.kind == Kind::go) out += "\"child\":" + std::to_string(e.object) + ",";
    where_args(e);
    out += "}}";
    if (e.kind == Kind::go) flow("s", "spawn", "g" + std::to_string(e.object), e.ts, e.tid);
    if (e.kind == Kind::start) flow("f", "spawn", "g" + std::to_string(e.tid), e.ts, e.tid);
  }

  void event(const Event& e) {
    switch (e.kind) {
      case Kind::name: metadata(e.tid, log->text(e.value)); break;
      case Kind::run:
      case Kind::block: span(e); break;
      case Kind::chan: chan(e); break;
      default: other(e); break;
    }
  }
};

// Gives the untimed events of one buffer (see Recording::stamp) their
// times: evenly spaced between the readings taken before and after them on
// the same thread (a span's reading is its end), or, after the last reading,
// a tick apart just after it.
void place_untimed(std::vector<Event>& events) {
  std::vector<Event*> run;
  std::uint64_t before = 0;
  auto place = [&](std::uint64_t after) {
    const std::uint64_t n = run.size();
    if (after < before) after = before;  // two unfenced readings a little out of order
    for (std::uint64_t i = 0; i < n; ++i) {
      run[i]->ts = before + (after - before) * (i + 1) / (n + 1);
      run[i]->flags = static_cast<std::uint8_t>(run[i]->flags & ~Event::kUntimed);
    }
    run.clear();
  };
  for (Event& e : events) {
    if (e.kind == Kind::name) continue;
    if (e.flags & Event::kUntimed) {
      run.push_back(&e);
      continue;
    }
    const bool span = e.kind == Kind::run || e.kind == Kind::block;
    const std::uint64_t reading = span ? e.ts + e.dur : e.ts;
    if (before == 0) before = reading;  // none before (a burst begun in an earlier recording)
    place(reading);
    before = std::max(before, reading);
  }
  place(before + run.size() + 1);
}

// The log's records as whole events, in order. A hot record's goroutine is
// the one the log's last name event named (see HotHeader).
std::vector<Event> whole_events(const EventLog& log) {
  std::vector<Event> out;
  std::uint64_t tid = 0;
  log.for_each_record([&](const std::uint64_t* p) -> std::size_t {
    const Kind kind = EventLog::kind_of(p);
    Event e;
    if (kind != Kind::hot_chan && kind != Kind::hot_chan_for && kind != Kind::hot_mutex) {
      std::memcpy(static_cast<void*>(&e), p, sizeof e);
      if (e.kind == Kind::name) tid = e.tid;
      out.push_back(e);
      return kEventWords;
    }
    HotHeader h;
    std::memcpy(&h, p, sizeof h);
    std::size_t n = 1;
    e.tid = tid;
    if (kind == Kind::hot_chan_for) std::memcpy(&e.tid, p + n++, sizeof e.tid);
    e.pos = h.pos;
    e.object = h.object;
    if (kind != Kind::hot_mutex) {
      e.kind = Kind::chan;
      e.name = h.flags & Event::kSending ? "send" : "recv";
      e.flags = h.flags;
      std::memcpy(&e.value, p + n++, sizeof e.value);
    } else {
      e.kind = Kind::sync;
      e.name = h.flags & HotHeader::kUnlock ? "Mutex.Unlock" : "Mutex.Lock";
    }
    SourceLocation where;
    std::memcpy(static_cast<void*>(&where), p + n, sizeof where);
    n += kWhereWords;
    e.file = where.file_name();
    e.line = where.line();
    if (!(h.flags & Event::kUntimed)) std::memcpy(&e.ts, p + n++, sizeof e.ts);
    else if (kind == Kind::hot_mutex) e.flags = Event::kUntimed;
    out.push_back(e);
    return n;
  });
  return out;
}

// Every buffer's events of this recording, spans still open closed at
// `now`. Called with the trace bit cleared and flush_fence() run: a writer
// still inside an event is waited for, and no other will begin one.
struct Track {
  std::unique_ptr<EventLog> log;  // the records, and the texts the events name
  std::vector<Event> events;
};

std::vector<Track> gather(std::uint64_t now) {
  Recorder& r = rec();
  std::uint64_t session = recording_session.load(std::memory_order_relaxed);
  std::vector<Track> all;
  tsan::BlindLock lock(r.mu);
  for (Buffer* b : r.buffers) {
    if (!wait_for_writer(*b)) {
      std::fprintf(stderr, "goc trace: a thread stopped while recording an event; "
                           "its events are left out of the trace\n");
      continue;
    }
    if (b->session != session) continue;
    Track t{std::make_unique<EventLog>(), whole_events(b->events)};
    place_untimed(t.events);  // before the span closed here, which is no reading of its own
    if (b->open) t.events.push_back(span_until(*b, now));
    b->open = false;
    t.log->swap(b->events);
    unbind(*b);
    all.push_back(std::move(t));
  }
  return all;
}

// An event to write, with its time (its own, or moved, see receives_after_sends).
struct Entry {
  const Event* e;
  const EventLog* log;
  std::uint64_t ts;
};

// True for a hand-off's end: an arrow's "s" (sending) or "f" (receiving).
bool is_handoff(const Event& e) {
  return e.kind == Kind::chan && e.pos && e.object && e.object != kNilChan;
}

// A hand-off's times are read without a fence (trace_now_unfenced), so a
// receive may read a few nanoseconds before the send of its value, taken
// under the same lock just before: such a receive is moved to its send's
// time, and every arrow points forward. (The logical clock is in order already.)
void receives_after_sends(std::vector<Entry>& all) {
  struct Hash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& k) const noexcept {
      return std::hash<std::uint64_t>()(k.first * 0x9E3779B97F4A7C15ull ^ k.second);
    }
  };
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t, Hash> sent_at;
  for (const Entry& x : all)
    if (is_handoff(*x.e) && x.e->sending()) sent_at[{x.e->object, x.e->pos}] = x.ts;
  for (Entry& x : all) {
    if (!is_handoff(*x.e) || x.e->sending()) continue;
    auto sent = sent_at.find({x.e->object, x.e->pos});
    if (sent != sent_at.end() && sent->second > x.ts) x.ts = sent->second;
  }
}

// A Mutex's events may have placed times (see trace.hpp, "Clock"): each is
// moved to at least the time of the one before it in the mutex's own order
// (its number, `pos`), so the mutex is never drawn held twice.
void mutex_events_in_order(std::vector<Entry>& all) {
  std::vector<Entry*> events;
  for (Entry& x : all)
    if (is_mutex_event(*x.e)) events.push_back(&x);
  std::sort(events.begin(), events.end(), [](const Entry* a, const Entry* b) {
    return a->e->object != b->e->object ? a->e->object < b->e->object : a->e->pos < b->e->pos;
  });
  for (std::size_t i = 1; i < events.size(); ++i)
    if (events[i]->e->object == events[i - 1]->e->object && events[i]->ts < events[i - 1]->ts)
      events[i]->ts = events[i - 1]->ts;
}

// Writes the JSON to `file`; false when a write failed.
// `ns_per_tick`: the real clock's rate over the recording (see ticks()).
bool render(const std::vector<Track>& tracks, double ns_per_tick, std::FILE* file) {
  Recorder& r = rec();
  std::size_t total = 0;
  for (const Track& t : tracks) total += t.events.size();
  std::vector<Entry> all;
  all.reserve(total);
  for (const Track& t : tracks)
    for (const Event& e : t.events) all.push_back(Entry{&e, t.log.get(), e.ts});
  receives_after_sends(all);
  mutex_events_in_order(all);
  // Names first (one per track), then by time; ties by track, then the
  // order each thread made them (stable sort).
  std::stable_sort(all.begin(), all.end(), [](const Entry& x, const Entry& y) {
    const Event* a = x.e;
    const Event* b = y.e;
    bool an = a->kind == Kind::name, bn = b->kind == Kind::name;
    if (an != bn) return an;
    if (an) return a->tid < b->tid;
    if (x.ts != y.ts) return x.ts < y.ts;
    return a->tid < b->tid;
  });
  all.erase(std::unique(all.begin(), all.end(),
                        [](const Entry& a, const Entry& b) {
                          return a.e->kind == Kind::name && b.e->kind == Kind::name &&
                                 a.e->tid == b.e->tid;
                        }),
            all.end());
  JsonWriter w;
  w.file = file;
  w.logical = logical_clock.load(std::memory_order_relaxed);
  w.origin = r.origin_ticks.load(std::memory_order_relaxed);
  w.ns_per_tick = ns_per_tick;
  {
    tsan::BlindLock lock(r.chans_mu);
    w.chans = r.chans;
  }
  w.out = "{\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"format\":\"goc-trace-1\",\"clock\":\"";
  w.out += w.logical ? "virtual" : "real";
  w.out += "\",\"schedule\":";
  append_escaped(w.out, r.schedule_spec);
  w.out += "},\n\"traceEvents\":[";
  bool timers = std::any_of(all.begin(), all.end(), [](const Entry& x) { return x.e->tid == 0; });
  if (timers) w.metadata(0, "timers");
  for (const Entry& x : all) {
    w.log = x.log;
    if (x.ts == x.e->ts) {
      w.event(*x.e);
    } else {
      Event moved = *x.e;
      moved.ts = x.ts;
      w.event(moved);
    }
    if (w.out.size() >= (std::size_t{1} << 20)) w.write_out();
  }
  w.out += "\n]}\n";
  w.write_out();
  return !w.failed;
}

// Stops recording and writes the file; false (with *error) when nothing was
// recording or the write failed.
bool finish_recording(std::string* error) {
  Recorder& r = rec();
  tsan::BlindLock flush_lock(r.flush_mu);
  std::uint8_t before = runtime_hooks.bits.fetch_and(static_cast<std::uint8_t>(~kHookTrace),
                                                std::memory_order_relaxed);
  if (!(before & kHookTrace)) {
    if (error) *error = "trace_stop: no trace is being recorded";
    return false;
  }
  hot_session.store(kNoHotSession, std::memory_order_relaxed);
  flush_fence();  // from here, no writer begins an event (see writer_fence)
  // The clock reading below is no operation: it does not advance the
  // logical clock, so the file is the same whoever flushes.
  bool logical = logical_clock.load(std::memory_order_relaxed);
  std::uint64_t now = logical ? r.logical.load(std::memory_order_relaxed) : ticks();
  std::int64_t now_ns = steady_ns();
  std::vector<Track> events = gather(now);
  double ns_per_tick = 1.0;
  std::uint64_t origin = r.origin_ticks.load(std::memory_order_relaxed);
  if (!logical && now > origin)
    ns_per_tick = static_cast<double>(now_ns - r.origin_ns.load(std::memory_order_relaxed)) /
                  static_cast<double>(now - origin);
  std::FILE* out;
  std::string path;
  {
    tsan::BlindLock lock(r.mu);
    out = r.out;
    r.out = nullptr;
    path = r.path;
  }
  bool ok = out && render(events, ns_per_tick, out);
  ok = out && std::fclose(out) == 0 && ok;
  if (!ok) {
    std::string why = "goc trace: could not write " + path + " (" + std::strerror(errno) +
                      "): the trace is lost; check the disk has room and the file is writable";
    if (error) *error = why;
    else std::fprintf(stderr, "%s\n", why.c_str());
  }
  return ok;
}

void start_from_environment() {
  const char* path = std::getenv("GOC_TRACE");
  if (!path || !*path) return;
  std::string error;
  if (!trace_start(path, &error)) {
    std::fprintf(stderr,
                 "fatal error: GOC_TRACE=%s: %s; give a file in a writable folder "
                 "(e.g. GOC_TRACE=trace.json), or unset GOC_TRACE\n",
                 path, error.c_str());
    std::_Exit(2);
  }
}

const bool trace_from_environment = (start_from_environment(), true);

}  // namespace

// ---------------------------------------------------------------------------
void trace_reserve(std::size_t events) { chunk_pool().reserve(events * sizeof(Event)); }

bool trace_start(const std::string& path, std::string* error) {
  chunk_pool().reserve(kDefaultReserve);
  Recorder& r = rec();
  tsan::BlindLock flush_lock(r.flush_mu);
  if (trace_on()) {
    if (error) *error = "a trace is already being recorded (call trace_stop first)";
    return false;
  }
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) {
    if (error) *error = std::string("cannot create the file: ") + std::strerror(errno);
    return false;
  }
  {
    tsan::BlindLock lock(r.mu);
    r.out = out;
    r.path = path;
    const char* spec = std::getenv("GOC_SCHEDULE");
    bool scheduled = schedule_on() || (spec && *spec);
    r.schedule_spec = scheduled && spec ? spec : "";
    logical_clock.store(scheduled, std::memory_order_relaxed);
    r.logical.store(0, std::memory_order_relaxed);
    r.origin_ns.store(steady_ns(), std::memory_order_relaxed);
    r.origin_ticks.store(ticks(), std::memory_order_relaxed);
    const std::uint64_t session = recording_session.fetch_add(1, std::memory_order_relaxed) + 1;
    if (!r.exit_hook) {
      r.exit_hook = true;
      std::atexit([] { trace_flush(); });
      membarrier_ready.store(register_membarrier(), std::memory_order_relaxed);
    }
    const bool hot = !scheduled && membarrier_ready.load(std::memory_order_relaxed);
    hot_session.store(hot ? session : kNoHotSession, std::memory_order_relaxed);
  }
  runtime_hooks.bits.fetch_or(kHookTrace, std::memory_order_relaxed);
  Recording bind(trace_now());  // the caller's track starts now
  return true;
}

bool trace_stop(std::string* error) { return finish_recording(error); }

void trace_flush() noexcept {
  if (!trace_on()) return;
  try {
    finish_recording(nullptr);
  } catch (...) {
    // Out of memory while ending the program: the trace is lost, the exit goes on.
  }
}

std::uint64_t trace_now() noexcept {
  if (logical_clock.load(std::memory_order_relaxed))
    return rec().logical.fetch_add(1000, std::memory_order_relaxed) + 1000;
  return ticks();
}

std::uint64_t trace_now_unfenced() noexcept {
  if (logical_clock.load(std::memory_order_relaxed))
    return rec().logical.fetch_add(1000, std::memory_order_relaxed) + 1000;
  return unfenced_ticks();
}

void trace_schedule_began() noexcept {
  hot_session.store(kNoHotSession, std::memory_order_relaxed);
}

void trace_clock_jump(std::uint64_t ns) noexcept {
  if (trace_on()) rec().logical.fetch_add(ns, std::memory_order_relaxed);
}

namespace {

// chan_id's first request for `c`: gives it the next number.
[[gnu::noinline]] std::uint64_t number_chan(const ChanBase* c) noexcept {
  auto& id = const_cast<ChanBase*>(c)->trace_id_;
  std::uint64_t have = id.load(std::memory_order_relaxed);
  if (have) return have;
  Recorder& r = rec();
  std::uint64_t mine = r.next_chan.fetch_add(1, std::memory_order_relaxed);
  if (!id.compare_exchange_strong(have, mine, std::memory_order_relaxed))
    return have;  // another thread numbered it first
  // Where it was made and its capacity, once, for the file.
  try {
    tsan::BlindLock lock(r.chans_mu);
    if (r.chans.size() < mine) r.chans.resize(mine);
    r.chans[mine - 1] = ChanInfo{c->made_file_, c->made_line_, c->cap_};
  } catch (...) {  // out of memory: the file says "made" nowhere for it
  }
  return mine;
}

}  // namespace

std::uint64_t chan_id(const ChanBase* c) noexcept {
  if (!c) return 0;
  const std::uint64_t have = c->trace_id_.load(std::memory_order_relaxed);
  return have ? have : number_chan(c);
}

std::string chan_label(const ChanBase* c) {
  if (!c) return "nil channel";
  return chan_name(chan_id(c)) + " (made at " + where_of(c->made_file_, c->made_line_) + ")";
}

std::string chan_value_text(const ChanBase* c, const void* v) {
  std::string out;
  if (c && v && c->format_value(v, out)) return out;
  return "";
}

std::string stream_text(void (*write)(std::ostream&, const void*), const void* v) {
  std::ostringstream os;
  write(os, v);
  return os.str();
}

namespace {

// A channel event on track `g` (0: the running goroutine's).
void record_chan_op(std::uint64_t g, const char* op, const ChanBase* c, const ChanMark& mark,
                    const TraceValue& value, int case_index, bool sending, bool closed,
                    const SourceLocation& where) {
  // No time yet: a value that moved through a buffer, a hot event, whose
  // time is taken now, after the channel's lock (see ChanMark); otherwise
  // read now, fenced, as the caller asked.
  const bool hot = !mark.ts && mark.pos;
  std::uint64_t ts = mark.ts ? mark.ts : hot ? kUntimed : trace_now();
  Recording r(ts);
  if (!r) return;
  if (hot) ts = r.stamp();
  Event& e = fill_instant(g ? r.emplace_as(g) : r.emplace(), Kind::chan, op, ts, where);
  if (c) e.object = chan_id(c);
  else if (std::strcmp(op, "select") != 0 || case_index >= 0) e.object = kNilChan;
  e.pos = mark.pos;
  e.case_index = static_cast<std::int16_t>(case_index);
  e.flags = static_cast<std::uint8_t>((sending ? Event::kSending : 0) | (closed ? Event::kClosed : 0) |
                                      (ts == kUntimed ? Event::kUntimed : 0));
  if (!closed) r.set_value(e, value);
}

}  // namespace

void trace_chan_op(const char* op, const ChanBase* c, const ChanMark& mark,
                   const TraceValue& value, int case_index, bool sending, bool closed,
                   const SourceLocation& where) {
  record_chan_op(0, op, c, mark, value, case_index, sending, closed, where);
}

namespace {

constexpr std::uint64_t kHotObjects = 0xFFFF, kHotPositions = 0xFFFFFFFF;

// Writes a hot record to `b`: its header, the partner's goroutine (for
// hot_chan_for), the value's bits (for a channel), where, and the time
// unless untimed (see HotHeader). `ts`: the event's time, read by the
// caller, or kUntimed for hot_event_time's. False, with nothing written,
// when the chunk is full.
[[gnu::always_inline]] inline bool write_hot(Buffer& b, HotHeader h, const std::uint64_t* tid,
                                             const std::uint64_t* value, std::uint64_t ts,
                                             const SourceLocation& where) {
  const std::size_t most = 2 + (tid ? 1 : 0) + (value ? 1 : 0) + kWhereWords;  // with a time
  if (b.events.room() < most) [[unlikely]] return false;
  if (ts == kUntimed) ts = hot_event_time(b);
  if (ts == kUntimed) h.flags |= Event::kUntimed;
  std::uint64_t* p = b.events.take(most - (ts == kUntimed ? 1 : 0));
  std::memcpy(p++, &h, sizeof h);
  if (tid) *p++ = *tid;
  if (value) *p++ = *value;
  std::memcpy(static_cast<void*>(p), &where, sizeof where);
  p += kWhereWords;
  if (ts != kUntimed) *p = ts;
  return true;
}

// Runs write(buffer, header) for a hot record the short way, when it can:
// the header `h` is whole (try_hot_with fills one in), and this thread's
// buffer must be bound to a goroutine in this recording (no schedule). That
// goroutine is the one running: a goroutine's buffer is its own (a fiber's
// travels with it, see trace_thread_buffer; a thread's serves one goroutine
// at a time), and a goroutine's end unbinds it (g = 0), so the next one's
// first event goes the long way and binds it (Recording::bind). False, with
// nothing written, for the long way (which also grows a full chunk: this
// path calls nothing).
template <class Write>
[[gnu::always_inline]] inline bool try_hot_header(HotHeader h, Write write) {
  Buffer* b = my_buffer_ptr;
  // No test of a timer scope (as_timer) is needed: on the real clock it is
  // the timer thread's, whose buffer is never bound (its events are track
  // 0's, see Recording), and a scheduled run has no hot session.
  if (!b) [[unlikely]] return false;
  set_writing(*b, 1);
  // The writer's fence when membarrier's is ready, which it is whenever
  // hot_session names a recording (see writer_fence).
  std::atomic_signal_fence(std::memory_order_seq_cst);
  bool written = b->hot_key == hot_session.load(std::memory_order_relaxed);
  if (written) [[likely]] {
    tsan::ignore_accesses_begin();
    written = write(*b, h);
    tsan::ignore_accesses_end();
  }
  set_writing(*b, 0);
  return written;
}

// try_hot_header with the header's object and position still to fill in:
// `object` is the channel's or mutex's number (0: none yet), `pos` the
// value's position or the event's number; either out of its field's range
// goes the long way.
template <class Write>
[[gnu::always_inline]] inline bool try_hot_with(std::uint64_t object, std::uint64_t pos,
                                                HotHeader h, Write write) {
  if (object - 1 >= kHotObjects || pos > kHotPositions) [[unlikely]] return false;
  h.pos = static_cast<std::uint32_t>(pos);
  h.object = static_cast<std::uint16_t>(object);
  return try_hot_header(h, write);
}

// A channel's hot record, the short way when it can (see try_hot_with).
[[gnu::always_inline]] inline bool try_hot(std::uint64_t object, std::uint64_t pos, HotHeader h,
                                           const std::uint64_t* tid, const std::uint64_t* value,
                                           std::uint64_t ts, const SourceLocation& where) {
  return try_hot_with(object, pos, h, [&](Buffer& b, HotHeader whole) {
    return write_hot(b, whole, tid, value, ts, where);
  });
}

// trace_send_recv's event when it cannot be a hot record: kept out of line,
// so that the short way saves no registers for it.
[[gnu::noinline]] void send_recv_the_long_way(const ChanBase* c, bool sending, std::uint64_t pos,
                                             std::uint8_t kind, std::uint64_t bits,
                                             std::uint64_t ts, const SourceLocation& where) {
  TraceValue value;
  value.kind = kind;
  value.bits = bits;
  record_chan_op(0, sending ? "send" : "recv", c, ChanMark{pos, ts}, value, 0, sending, false, where);
}

}  // namespace

void trace_send_recv(const ChanBase* c, bool sending, std::uint64_t pos, std::uint8_t kind,
                    std::uint64_t bits, std::uint64_t ts, const SourceLocation& where) {
  const auto flags = static_cast<std::uint8_t>((sending ? Event::kSending : 0) | (kind << 2));
  if (!try_hot(c->trace_id_.load(std::memory_order_relaxed), pos,
               HotHeader{0, 0, Kind::hot_chan, flags}, nullptr, &bits, ts, where)) [[unlikely]]
    send_recv_the_long_way(c, sending, pos, kind, bits, ts, where);
}

void trace_partner_op(std::uint64_t g, const char* op, const ChanBase* c, const ChanMark& mark,
                      const TraceValue& value, int case_index, bool sending,
                      const SourceLocation& where) {
  // A plain send or receive (not a select's case: case_index -1) with its
  // time read under the lock and a value kept as bits: a hot record on g's
  // track.
  const auto flags = static_cast<std::uint8_t>((sending ? Event::kSending : 0) | (value.kind << 2));
  if (case_index < 0 && value.kind != kTraceText && mark.ts && c &&
      try_hot(c->trace_id_.load(std::memory_order_relaxed), mark.pos,
              HotHeader{0, 0, Kind::hot_chan_for, flags}, &g, &value.bits, mark.ts, where))
    return;
  record_chan_op(g, op, c, mark, value, case_index, sending, false, where);
}

void trace_go(std::uint64_t child, const SourceLocation& where) {
  std::uint64_t ts = trace_now();
  Recording r(ts);
  if (!r) return;
  Event e = instant(Kind::go, "go", ts, where);
  e.object = child;
  r.add(std::move(e));
}

void trace_goroutine_start(const G* g) {
  std::uint64_t ts = trace_now();
  Recording r(ts);  // binds the track to g and opens its running span
  if (!r) return;
  Event e;
  e.kind = Kind::start;
  e.name = "start";
  e.ts = ts;
  e.file = g->created_file;
  e.line = g->created_line;
  r.add(std::move(e));
}

void trace_goroutine_end(const G* g) {
  std::uint64_t ts = trace_now();
  Recording r(ts);
  if (!r) return;
  Event e;
  e.kind = Kind::end;
  e.name = "end";
  e.ts = ts;
  e.file = g->created_file;
  e.line = g->created_line;
  r.add(std::move(e));
  close_span_locked(r.buffer(), ts);
  unbind(r.buffer());
}

void trace_block(GState s, const SourceLocation& where, const ChanBase* chan) {
  std::uint64_t ts = trace_now_unfenced();
  Recording r(ts);
  if (!r || r.tid() == 0) return;
  Buffer& b = r.buffer();
  close_span_locked(b, ts);
  std::uint64_t chan_number = chan ? chan_id(chan) : 0;
  if (s == GState::chan_send_nil || s == GState::chan_receive_nil) chan_number = kNilChan;
  if (s == GState::sleep) r.add(instant(Kind::timer, "sleep", ts, where));
  open_span_locked(b, ts, true, reason_of(s), where.file_name(), where.line(), chan_number);
}

void trace_unblock(std::uint64_t woken_at) {
  const bool waker_read = woken_at != 0 && !logical_clock.load(std::memory_order_relaxed);
  std::uint64_t ts = waker_read ? woken_at : trace_now_unfenced();
  Recording r(ts);
  if (!r || r.tid() == 0) return;
  Buffer& b = r.buffer();
  if (!b.open || !b.blocked) return;
  ts = std::max(ts, b.since);  // another core's reading: never before the wait began
  close_span_locked(b, ts);
  open_span_locked(b, ts, false);
}

std::uint32_t number_object(std::atomic<std::uint32_t>& id, const char* prefix) noexcept {
  std::uint32_t have = id.load(std::memory_order_relaxed);
  if (have) return have;
  auto& counter = prefix[0] == 'w' ? rec().next_wg : rec().next_mu;
  auto mine = static_cast<std::uint32_t>(counter.fetch_add(1, std::memory_order_relaxed));
  return id.compare_exchange_strong(have, mine, std::memory_order_relaxed) ? mine : have;
}

void trace_sync_at(const char* op, std::uint32_t object, const SourceLocation& where,
                   std::uint64_t ts) {
  Recording r(ts);
  if (!r) return;
  fill_instant(r.emplace(), Kind::sync, op, ts, where).object = object;
}

std::uint64_t trace_sync(const char* op, std::atomic<std::uint32_t>& id, const char* prefix,
                         const SourceLocation& where) {
  const std::uint32_t object = trace_object_id(id, prefix);
  const std::uint64_t ts = trace_now();
  trace_sync_at(op, object, where, ts);
  return ts;
}

namespace {

// trace_mutex's event when it cannot be a hot record (out of line, as
// send_recv_the_long_way).
[[gnu::noinline]] void mutex_the_long_way(bool unlock, std::uint32_t object, std::uint64_t seq,
                                          SourceLocation where) {
  Recording r(kUntimed);
  if (!r) return;
  const std::uint64_t ts = r.stamp();
  Event& e = fill_instant(r.emplace(), Kind::sync, unlock ? "Mutex.Unlock" : "Mutex.Lock", ts, where);
  e.object = object;
  e.pos = seq;
  if (ts == kUntimed) e.flags = Event::kUntimed;
}

// A Mutex's hot record: its header word, where, and the time when it took
// a reading (otherwise the header's flags say kUntimed, as a channel's do).
// False, with nothing written, when the chunk is full.
[[gnu::always_inline]] inline bool write_mutex_hot(Buffer& b, std::uint64_t header,
                                                   SourceLocation where) {
  static_assert(offsetof(HotHeader, flags) == 7, "a header's flags are its top byte");
  constexpr std::size_t kWords = 2 + kWhereWords;
  if (b.events.room() < kWords) [[unlikely]] return false;
  const std::uint64_t ts = hot_event_time(b);
  if (ts == kUntimed) header |= std::uint64_t{Event::kUntimed} << 56;
  std::uint64_t* p = b.events.take(kWords - (ts == kUntimed ? 1 : 0));
  // Plain stores, `where` first: with the compiler fence between, GCC does
  // not pair them into one vector store built from a copy on the stack.
  std::memcpy(static_cast<void*>(p + 1), &where, sizeof where);
  std::atomic_signal_fence(std::memory_order_relaxed);
  p[0] = header;
  if (ts != kUntimed) p[1 + kWhereWords] = ts;
  return true;
}

}  // namespace

void trace_mutex(bool unlock, std::uint32_t object, std::uint64_t seq,
                 const SourceLocation& where) {
  const HotHeader h{0, 0, Kind::hot_mutex, unlock ? HotHeader::kUnlock : std::uint8_t{0}};
  const auto write = [&](Buffer& b, HotHeader whole) {
    std::uint64_t header;
    std::memcpy(&header, &whole, sizeof header);
    return write_mutex_hot(b, header, where);
  };
  if (!try_hot_with(object, seq, h, write)) [[unlikely]]
    mutex_the_long_way(unlock, object, seq, where);
}

std::uint32_t mutex_hot_top(std::uint32_t object) noexcept {
  static_assert(offsetof(HotHeader, object) == 4 && offsetof(HotHeader, kind) == 6,
                "the top half of a header word is its object's number, then its kind");
  if (object - 1 >= kHotObjects) return 0;
  return object | static_cast<std::uint32_t>(Kind::hot_mutex) << 16;
}

namespace {

// trace_mutex_lock_word's and trace_mutex_unlock_word's record: the word
// with the flags of a Lock or an Unlock (its top byte, 0 in the word).
template <bool kUnlock>
[[gnu::always_inline]] inline void mutex_word_record(std::uint64_t word, SourceLocation where) {
  if constexpr (kUnlock) word |= std::uint64_t{HotHeader::kUnlock} << 56;
  HotHeader h;
  std::memcpy(&h, &word, sizeof h);
  // The word itself, not h: composed as a word, the flags cost one OR.
  const auto write = [word, where](Buffer& b, HotHeader) { return write_mutex_hot(b, word, where); };
  if (!try_hot_header(h, write)) [[unlikely]] mutex_the_long_way(kUnlock, h.object, h.pos, where);
}

}  // namespace

void trace_mutex_lock_word(std::uint64_t word, SourceLocation where) {
  mutex_word_record<false>(word, where);
}

void trace_mutex_unlock_word(std::uint64_t word, SourceLocation where) {
  mutex_word_record<true>(word, where);
}

void trace_timer(const char* what, const SourceLocation& where) {
  std::uint64_t ts = trace_now();
  Recording r(ts);
  if (!r) return;
  r.add(instant(Kind::timer, what, ts, where));
}

TraceTimerScope::TraceTimerScope() noexcept : was_(as_timer()) { set_as_timer(true); }
TraceTimerScope::~TraceTimerScope() { set_as_timer(was_); }

}  // namespace goc::detail
