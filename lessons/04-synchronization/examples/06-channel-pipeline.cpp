// Lesson 4, example 06: a pipeline, channels for sequencing and backpressure.
//
// Each stage is a goroutine that receives from the stage before, does one
// thing and sends to the stage after; each closes its own output when its
// input is exhausted, so the "no more values" signal flows down the pipe.
// Values change hands at every stage (ownership moves with them, no sharing),
// the order is kept, and unbuffered channels make a slow stage slow the
// stages before it (backpressure) instead of letting work pile up.
//
// This is where channels beat a mutex: the program's structure is the data's
// journey, and no step needs to know who else is running.
#include <cstdio>
#include <vector>

#include "goc/goc.hpp"

//! [stages]
// Go:
//     func generate(nums ...int) <-chan int {
//         out := make(chan int)
//         go func() {
//             defer close(out)
//             for _, n := range nums {
//                 out <- n
//             }
//         }()
//         return out
//     }
//
//     func square(in <-chan int) <-chan int {
//         out := make(chan int)
//         go func() {
//             defer close(out)
//             for n := range in {
//                 out <- n * n
//             }
//         }()
//         return out
//     }
goc::RecvChan<int> generate(std::vector<int> nums) {
  auto out = goc::make_chan<int>();
  goc::go([out, nums] {
    for (int n : nums) out.send(n);
    out.close();
  });
  return out;
}

goc::RecvChan<int> square(goc::RecvChan<int> in) {
  auto out = goc::make_chan<int>();
  goc::go([in, out] {
    for (int n : in) out.send(n * n);
    out.close();
  });
  return out;
}
//! [stages]

int main() {
  //! [pipeline]
  // Go:
  //     for v := range square(square(generate(1, 2, 3, 4))) {
  //         fmt.Println(v)
  //     }
  for (int v : square(square(generate({1, 2, 3, 4})))) std::printf("%d\n", v);
  //! [pipeline]
}
