// goc/testing/catch.hpp: include this, not Catch2's own headers, so that tests
// build with Catch2 v2 (catch2/catch.hpp) and v3 (catch2/catch_*.hpp) alike.
//
// Besides the test macros it offers, under both versions:
//   Approx and Catch::Approx                   (v2 had the first, v3 has the second)
//   Catch::Matchers::ContainsSubstring(s)      (v3's name for a substring matcher)
//   Catch::Contains(s)                         (v2's name for the same matcher)
//   GENERATE, and the string matchers (StartsWith, EndsWith, Equals, Matches)
// Anything else Catch2 renamed between v2 and v3 needs a shim here first.
#pragma once

#include <string>

// testing/CMakeLists.txt says which Catch2 it linked (GOC_CATCH_MAJOR), so that
// a machine with both versions' headers installed gets the matching ones.
// Without it (a target that links Catch2 directly), whichever headers exist.
#if !defined(GOC_CATCH_MAJOR) && __has_include(<catch2/catch_test_macros.hpp>)
#define GOC_CATCH_MAJOR 3
#endif
#if defined(GOC_CATCH_MAJOR) && GOC_CATCH_MAJOR >= 3
#define GOC_CATCH3 1
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using Catch::Approx;
namespace Catch {
inline Matchers::StringContainsMatcher Contains(std::string const& needle,
                                                CaseSensitive cs = CaseSensitive::Yes) {
  return Matchers::ContainsSubstring(needle, cs);
}
}  // namespace Catch
#else
#define GOC_CATCH2 1
#include <catch2/catch.hpp>

namespace Catch {
using Detail::Approx;
namespace Matchers {
inline StdString::ContainsMatcher ContainsSubstring(std::string const& needle,
                                                    CaseSensitive::Choice cs = CaseSensitive::Yes) {
  return Contains(needle, cs);
}
}  // namespace Matchers
}  // namespace Catch
#endif
