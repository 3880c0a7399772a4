#!/usr/bin/env bash
# check-catch2-v3.sh: build and run the runtime tests against Catch2 v3 on a
# machine whose packaged Catch2 is v2 (Debian 12), to keep the compat layer in
# testing/ honest. It downloads nothing: give it a folder that holds Catch2
# v3's amalgamated catch_amalgamated.hpp and .cpp (from the "extras" folder of
# a 3.x release of github.com/catchorg/Catch2).
#
#   testing/check-catch2-v3.sh <amalgamated-dir> [<work-dir>]
#
# <work-dir> (default build/catch2-v3) receives:
#   pkg/           a minimal installed Catch2 package: Catch2::Catch2 (the
#                  amalgamated library) and Catch2::Catch2WithMain, with thin
#                  catch2/*.hpp headers forwarding to catch_amalgamated.hpp
#   <preset>/      the course configured against it (find_package(Catch2) must
#                  report 3.x) with the runtime tests built and run
# Environment: PRESETS (default "plain"; e.g. "plain tsan"), LABEL (default
# "runtime"), JOBS (default 2). Exit status is non-zero on any failure.
# To use the package by hand: cmake ... -DCatch2_DIR=<work-dir>/pkg/lib/cmake/Catch2
# (or export Catch2_ROOT=<work-dir>/pkg, which nested builds such as the
# grader's fixture course also see).
set -euo pipefail

die() { echo "check-catch2-v3: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || die "usage: $0 <amalgamated-dir> [<work-dir>]"
src=$(cd "$1" && pwd) || die "no folder $1"
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${2:-$repo/build/catch2-v3}" && cd "${2:-$repo/build/catch2-v3}" && pwd)
jobs=${JOBS:-2}
for f in catch_amalgamated.hpp catch_amalgamated.cpp; do
  [[ -f $src/$f ]] || die "$src/$f is missing"
done

# The version, from the header's own macros.
macro() { sed -n "s/^#define CATCH_VERSION_$1 \([0-9]*\).*/\1/p" "$src/catch_amalgamated.hpp" | head -n1; }
version="$(macro MAJOR).$(macro MINOR).$(macro PATCH)"
[[ $version == 3.* ]] || die "catch_amalgamated.hpp says version '$version', not 3.x"
echo "check-catch2-v3: Catch2 $version from $src"

# 1. The package: a tiny CMake project that builds the amalgamated library and
#    installs it the way Catch2 v3 does (same target names and config files).
wrap=$work/wrapper
rm -rf "$wrap" "$work/pkg"
mkdir -p "$wrap/catch2/reporters" "$wrap/catch2/generators" "$wrap/catch2/matchers"
for h in catch_test_macros catch_session catch_approx catch_all \
         reporters/catch_reporter_event_listener reporters/catch_reporter_registrars \
         generators/catch_generators matchers/catch_matchers_string; do
  printf '#pragma once\n#include <catch_amalgamated.hpp>  // every v3 header, amalgamated\n' \
    > "$wrap/catch2/$h.hpp"
done
printf '#include <catch_amalgamated.hpp>\nint main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }\n' \
  > "$wrap/main.cpp"
# shellcheck disable=SC2016  # a CMake variable, not a shell one
printf 'include(${CMAKE_CURRENT_LIST_DIR}/Catch2Targets.cmake)\n' > "$wrap/Catch2Config.cmake"
cat > "$wrap/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(Catch2 VERSION $version LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
add_library(Catch2 STATIC "$src/catch_amalgamated.cpp")
# The amalgamated .cpp defines main() unless told not to; Catch2WithMain has it.
target_compile_definitions(Catch2 PRIVATE CATCH_AMALGAMATED_CUSTOM_MAIN)
target_include_directories(Catch2 PUBLIC "\$<BUILD_INTERFACE:$src>" "\$<INSTALL_INTERFACE:include>")
add_library(Catch2WithMain STATIC main.cpp)
target_link_libraries(Catch2WithMain PUBLIC Catch2)
install(TARGETS Catch2 Catch2WithMain EXPORT Catch2Targets ARCHIVE DESTINATION lib)
install(EXPORT Catch2Targets NAMESPACE Catch2:: DESTINATION lib/cmake/Catch2)
include(CMakePackageConfigHelpers)
write_basic_package_version_file(Catch2ConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES Catch2Config.cmake "\${CMAKE_CURRENT_BINARY_DIR}/Catch2ConfigVersion.cmake"
        DESTINATION lib/cmake/Catch2)
install(FILES "$src/catch_amalgamated.hpp" DESTINATION include)
install(DIRECTORY catch2 DESTINATION include)
EOF
cmake -S "$wrap" -B "$work/wrapper-build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$work/wrapper-build" -j "$jobs"
cmake --install "$work/wrapper-build" --prefix "$work/pkg" >/dev/null
export Catch2_ROOT=$work/pkg  # also seen by nested builds (the grader's fixture course)

# 2. The course against it, preset by preset: configure, build the tests of the
#    label, run them.
cd "$repo"
for preset in ${PRESETS:-plain}; do
  bld=$work/$preset
  cmake --preset "$preset" -B "$bld" -DCatch2_DIR="$work/pkg/lib/cmake/Catch2" | tee "$work/$preset.configure.log"
  grep -q "goc: Catch2 3\." "$work/$preset.configure.log" || die "$preset: find_package(Catch2) did not find v3"
  # The programs the label's tests run: a Catch2 test is built by the target
  # of its own name; another test names its program (a target of the same
  # name) in its command. Targets of a Makefile build: `make help`.
  known=$(cmake --build "$bld" --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p')
  targets=$({ ctest --test-dir "$bld" -N -L "${LABEL:-runtime}" | sed -n 's/^ *Test *#[0-9]*: \(.*\)$/\1/p'
              ctest --test-dir "$bld" -N -V -L "${LABEL:-runtime}" |
                sed -n 's/^[0-9]*: Test command: //p' | tr ' ' '\n' | sed 's|.*/||; s/"//g'
            } | grep -Fx -f <(printf '%s\n' "$known") | sort -u)
  [[ -n $targets ]] || die "$preset: no tests labelled ${LABEL:-runtime}"
  # shellcheck disable=SC2086  # one target per word
  cmake --build "$bld" -j "$jobs" --target $targets
  ctest --test-dir "$bld" -L "${LABEL:-runtime}" --output-on-failure -j "$jobs"
done
echo "check-catch2-v3: the ${LABEL:-runtime} tests pass with Catch2 $version (${PRESETS:-plain})"
