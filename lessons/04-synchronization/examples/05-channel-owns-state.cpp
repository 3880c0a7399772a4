// Lesson 4, example 05: a goroutine owns the state; others send it requests.
//
// The channel alternative to example 04: instead of sharing the map and
// locking it, give the map to ONE goroutine and let no one else touch it.
// Others ask through channels: "add one to this name", "tell me the counts".
// Ownership replaces locking: the owner handles one request at a time, so the
// map is never accessed concurrently. Go's proverb: do not communicate by
// sharing memory; share memory by communicating.
//
// This shines when the state comes with a sequence of steps or a lifetime
// (a connection, a session, a stateful protocol). For a bare counter map it
// is more code than a mutex, which is the point of the comparison.
#include <cstdio>
#include <map>
#include <string>

#include "goc/goc.hpp"

//! [owner]
// Go:
//     type readReq struct{ reply chan map[string]int }
//
//     func owner(incs <-chan string, reads <-chan readReq) {
//         counts := map[string]int{} // only this goroutine touches it
//         for {
//             select {
//             case name := <-incs:
//                 counts[name]++
//             case r := <-reads:
//                 r.reply <- maps.Clone(counts)
//             }
//         }
//     }
struct ReadRequest {
  goc::Channel<std::map<std::string, int>> reply;
};

void owner(goc::RecvChan<std::string> incs, goc::RecvChan<ReadRequest> reads) {
  std::map<std::string, int> counts;  // only this goroutine ever touches it
  bool open = true;
  while (open) {
    goc::select(goc::recv_case(incs,
                               [&](std::string name, bool ok) {
                                 if (ok) ++counts[name];
                                 else open = false;  // no more requests
                               }),
                goc::recv_case(reads, [&](ReadRequest r) { r.reply.send(counts); }));
  }
}
//! [owner]

int main() {
  //! [clients]
  auto incs = goc::make_chan<std::string>();
  auto reads = goc::make_chan<ReadRequest>();
  goc::go(owner, incs, reads);

  goc::WaitGroup wg;
  for (const char* name : {"a", "a", "b"}) {
    wg.add(1);
    goc::go([incs, name, &wg] {
      for (int i = 0; i < 200; ++i) incs.send(name);  // a request, not a write
      wg.done();
    });
  }
  wg.wait();

  ReadRequest ask{goc::make_chan<std::map<std::string, int>>()};
  reads.send(ask);
  std::map<std::string, int> counts = ask.reply.recv();
  incs.close();  // the owner stops
  //! [clients]

  for (const auto& [name, count] : counts) std::printf("%s: %d\n", name.c_str(), count);
}
