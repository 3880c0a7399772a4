// goc/testing/catch.hpp: include this, not Catch2's own headers, so that tests
// build with Catch2 v2 (catch2/catch.hpp) and v3 (catch2/catch_*.hpp) alike.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)
#define GOC_CATCH3 1
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#define GOC_CATCH2 1
#include <catch2/catch.hpp>
#endif
