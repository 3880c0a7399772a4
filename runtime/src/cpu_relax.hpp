// A hint to the processor inside a spin-wait loop. Internal to runtime/src.
#pragma once

namespace goc::detail {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace goc::detail
