// SIGQUIT prints every goroutine and ends the program, as in Go: the grader
// sends it when a test program runs out of time, so that a hang points at the
// line each goroutine waits on and the go() call that started it.
//
// A signal handler may do almost nothing (async-signal-safe calls only): it
// must not take the registry's lock, which the interrupted thread may hold,
// nor allocate. So the handler writes one byte to a pipe, and a thread of the
// runtime that waits on that pipe takes the dump as any other thread would
// (goroutines() takes the registry lock for a few instructions at a time; the
// holder is a running thread that releases it, never the handler).
//
// Which thread gets the signal matters under ThreadSanitizer: it runs a
// program's handler only when the thread is in, or next enters, a call it
// intercepts; a thread spinning or waiting in a raw futex would keep the
// signal pending, maybe for ever. So SIGQUIT is blocked on the main thread
// before main() (every thread started later inherits that) and only the
// watcher thread, waiting in read(), takes it. A program that still never
// answers is killed by the grader after a short grace.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "goc/goroutine.hpp"
#include "goc/detail/trace.hpp"

namespace goc::detail {

namespace {

int quit_pipe[2] = {-1, -1};

void on_quit_signal(int) {
  int saved = errno;
  char byte = 1;
  [[maybe_unused]] ssize_t n = write(quit_pipe[1], &byte, 1);
  errno = saved;
}

void write_all_stderr(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void* quit_watcher(void*) {
  sigset_t quit;
  sigemptyset(&quit);
  sigaddset(&quit, SIGQUIT);
  pthread_sigmask(SIG_UNBLOCK, &quit, nullptr);  // the one thread that takes it
  char byte;
  ssize_t n;
  while ((n = read(quit_pipe[0], &byte, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) return nullptr;
  // What the program printed comes first, unless a stuck thread holds stdout.
  if (ftrylockfile(stdout) == 0) {
    fflush_unlocked(stdout);
    funlockfile(stdout);
  }
  write_all_stderr("SIGQUIT: quit (every goroutine as it was when the signal came)\n\n" +
                   format_goroutines(goroutines()));
  trace_flush();
  std::_Exit(2);
}

}  // namespace

// Called once, on the main thread before main() (sched.cpp registers it).
void install_quit_dump() noexcept {
  if (pipe2(quit_pipe, O_CLOEXEC) != 0) return;
  sigset_t quit;
  sigemptyset(&quit);
  sigaddset(&quit, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &quit, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_quit_signal;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: the watcher's read() must return EINTR. ThreadSanitizer
  // may keep the handler pending until the thread enters a call it
  // intercepts, and a restarted read() never returns to let it run.
  sa.sa_flags = 0;
  sigaction(SIGQUIT, &sa, nullptr);
  pthread_t watcher;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, std::size_t{1} << 20);
  int err = pthread_create(&watcher, &attr, quit_watcher, nullptr);
  pthread_attr_destroy(&attr);
  if (err != 0) {  // no dump then: SIGQUIT keeps its usual meaning
    signal(SIGQUIT, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &quit, nullptr);
  }
}

// Under ThreadSanitizer each goroutine has a thread of its own: named after
// the goroutine, its race reports can be told in goroutines (the grader reads
// the name). Longer than 15 bytes the kernel refuses the name, but
// ThreadSanitizer has recorded it by then.
void name_goroutine_thread(std::uint64_t id) noexcept {
  char name[32];
  std::snprintf(name, sizeof name, "goroutine %llu", static_cast<unsigned long long>(id));
  pthread_setname_np(pthread_self(), name);
}

}  // namespace goc::detail
