// Catch2 v2's implementation, for an installation of Catch2 that lacks the
// prebuilt Catch2WithMain library (see testing/CMakeLists.txt). Its entry
// point has the name catch_main.cpp calls, as in the renamed prebuilt archive.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

extern "C" int goc_catch2_v2_main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }
