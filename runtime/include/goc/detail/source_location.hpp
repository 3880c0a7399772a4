// goc/detail/source_location.hpp: where a call was written (file:line), for
// panics, goroutine dumps and leak reports.
//
// SourceLocation where the standard library has it; otherwise (clang 14
// with libstdc++ 12 lacks the builtin it needs) a small equivalent built on
// the __builtin_FILE/__builtin_LINE that g++ and clang both provide.
#pragma once

#include <version>

#if defined(__cpp_lib_source_location)
#include <source_location>
namespace goc {
using SourceLocation = std::source_location;
}  // namespace goc
#else
#include <cstdint>
namespace goc {
/// The part of SourceLocation the runtime uses.
class SourceLocation {
 public:
  /// The location of the call that evaluates this default argument.
  static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                          std::uint_least32_t line = __builtin_LINE()) noexcept {
    SourceLocation l;
    l.file_ = file;
    l.line_ = line;
    return l;
  }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr std::uint_least32_t line() const noexcept { return line_; }

 private:
  const char* file_ = "";
  std::uint_least32_t line_ = 0;
};
}  // namespace goc
#endif
