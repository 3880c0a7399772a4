// Checks of a student's file text before it is compiled: only plain
// relative includes, no inline assembly, no attributes or pragmas that switch
// off the race detector or run code behind the tests' back. Part of the
// check in symbol_check.hpp; its refusals read the same.
#pragma once

#include <string_view>
#include <vector>

#include "symbol_check.hpp"

namespace grader {

/// Every #include (and #include_next, #import) names a relative path without
/// "..", in quotes or angle brackets (not a macro); no #line directives.
std::vector<Refusal> check_includes(std::string_view source);
/// No inline assembly, no sanitizer attributes (any spelling), no attributes
/// that place or run code on their own (section, destructor, naked, alias,
/// weak ...), no pragmas but once, GCC diagnostic/unroll/ivdep and message.
std::vector<Refusal> check_source_tokens(std::string_view source);
/// Why these suffice without preprocessing: with token pasting (##), _Pragma
/// and #line refused, every word the compiler sees from the student's file is
/// spelled out in it (a macro can only repeat words written in the file), and
/// includes are limited to standard, goc/ and the exercise's own headers.
}  // namespace grader
