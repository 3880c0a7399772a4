// Fibers: contexts, the switch and stacks (see fiber.hpp).
#include "fiber.hpp"

#include <cxxabi.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

#include "goc/detail/sched.hpp"
#include "tsan.hpp"

namespace goc::detail::fiber {

EhGlobals* thread_eh() noexcept { return reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals()); }

#if defined(__x86_64__)
extern "C" void goc_detail_fiber_switch(void** save_sp, void* load_sp);
// The frame a switch leaves (from the stack pointer up): MXCSR and the x87
// control word (8 bytes), r15, r14, r13, r12, rbx, rbp, the return address.
asm(R"(
  .pushsection .text
  .p2align 4
  .type goc_detail_fiber_switch, @function
goc_detail_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size goc_detail_fiber_switch, .-goc_detail_fiber_switch
  .popsection
)");

// A frame for `stack` that the first switch to it "returns" from into
// `entry`, with the stack aligned as at a call and a zero return address
// above `entry` (the end of the stack for an unwinder).
void start_context(Context& c, char* stack, std::size_t bytes, void (*entry)()) {
  auto top = reinterpret_cast<std::uintptr_t>(stack + bytes) & ~std::uintptr_t{15};
  auto* slot = reinterpret_cast<std::uint64_t*>(top);
  *--slot = 0;                                     // entry's return address: none
  *--slot = reinterpret_cast<std::uint64_t>(entry);  // where the switch returns to
  for (int i = 0; i < 6; ++i) *--slot = 0;         // rbp, rbx, r12-r15
  std::uint32_t mxcsr;
  std::uint16_t fpu_control;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(fpu_control));
  *--slot = mxcsr | (std::uint64_t{fpu_control} << 32);
  c.sp = slot;
}

#define GOC_SWITCH_CONTEXT(from, to) goc_detail_fiber_switch(&(from).sp, (to).sp)
#else

void start_context(Context& c, char* stack, std::size_t bytes, void (*entry)()) {
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack;
  c.uc.uc_stack.ss_size = bytes;
  c.uc.uc_link = nullptr;
  makecontext(&c.uc, entry, 0);
}

#define GOC_SWITCH_CONTEXT(from, to) swapcontext(&(from).uc, &(to).uc)
#endif

// Untracked: called right after GOC_TSAN_SWITCH_TO_FIBER, and no instrumented
// call may come between the two (clang's ThreadSanitizer enters such a call on
// the new fiber's shadow stack and leaves it on the old one's).
[[gnu::noinline]] GOC_TSAN_UNTRACKED void switch_context(Context& from, Context& to) noexcept {
  GOC_SWITCH_CONTEXT(from, to);
}

namespace {

// Stacks of finished goroutines kept for the next ones: a new stack costs
// three system calls and a page fault per page it touches, a kept one
// nothing. Not under ThreadSanitizer, which forgets what a stack held only
// when it is unmapped (a kept stack would carry one goroutine's accesses over
// to the next, as false races).
#ifdef GOC_TSAN
constexpr std::size_t kSpareStacks = 0;
#else
constexpr std::size_t kSpareStacks = 256;
#endif

struct Spares {
  SpinMutex mu;  // taken blind (tsan.hpp)
  std::vector<void*> stacks;
};
Spares& spares() {
  static Spares* s = new Spares;  // never destroyed: fibers may end after main
  return *s;
}

std::size_t guard_bytes() {
  static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

void* take_stack() noexcept {
  if (kSpareStacks > 0) {
    tsan::BlindLock lock(spares().mu);
    if (!spares().stacks.empty()) {
      void* stack = spares().stacks.back();
      spares().stacks.pop_back();
      return stack;
    }
  }
  void* stack = mmap(nullptr, kStackBytes + guard_bytes(), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return nullptr;
  mprotect(stack, guard_bytes(), PROT_NONE);  // an overflow faults instead of writing over a neighbour
  return stack;
}

char* usable_bottom(void* stack) noexcept { return static_cast<char*>(stack) + guard_bytes(); }

void give_back_stack(void* stack) noexcept {
  if (kSpareStacks > 0) {
    tsan::BlindLock lock(spares().mu);
    if (spares().stacks.size() < kSpareStacks) {
      try {
        spares().stacks.push_back(stack);
        return;
      } catch (...) {  // out of memory: unmap it instead
      }
    }
  }
  munmap(stack, kStackBytes + guard_bytes());
}

}  // namespace goc::detail::fiber
