// Catch2 v2's main and implementation, for an installation of Catch2 that
// lacks the prebuilt Catch2WithMain library (see testing/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
