# Compiler flags of the two build options every course tree has (the course
# itself and the grader's fixture course include this file):
#   GOC_TSAN          build everything with ThreadSanitizer
#   GOC_GRADER_CACHE  a tree tuned for the grader's instructor cache
#   GOC_FAST_LINKER   link with gold where the toolchain has it

# A course links a few hundred test programs, and the grader relinks two per
# exercise for every submission: gold does it in under half of ld.bfd's time.
option(GOC_FAST_LINKER "Link with gold where the toolchain has it" ON)
if(GOC_FAST_LINKER)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=gold" GOC_HAVE_GOLD)
  if(GOC_HAVE_GOLD)
    add_link_options(-fuse-ld=gold)
  endif()
endif()

# The grader builds the instructor's tree once per machine and then compiles
# two student files per exercise for every submission. All it reads from debug
# info is ThreadSanitizer's file:line in a report: line tables (-g1) under
# ThreadSanitizer, none in the plain build. Each step down compiles and links
# about a sixth faster.
if(GOC_GRADER_CACHE)
  if(GOC_TSAN)
    set(CMAKE_CXX_FLAGS_DEBUG "-g1")
  else()
    set(CMAKE_CXX_FLAGS_DEBUG "-g0")
  endif()
endif()

# goc_grading_code(<target>): code the grader's cache compiles once per
# machine and then runs for every submission (the runtime, the test main, the
# tests): optimised in the plain cache, where it would otherwise be built
# without optimisation (the Debug build type). Only student files are compiled
# per submission, and they keep -O0, which compiles fastest. Under
# ThreadSanitizer the cache keeps the -O1 below. Outside the cache it does
# nothing: students' builds stay quick to compile and easy to debug.
function(goc_grading_code target)
  if(GOC_GRADER_CACHE AND NOT GOC_TSAN)
    target_compile_options(${target} PRIVATE -O2)
  endif()
endfunction()

# goc_student_code(<target>): student files (and the precompiled header they
# reuse) in the grader's ThreadSanitizer cache when it is built with clang++:
# without optimisation. At -O1 clang moves a loop's store out of the loop and
# drops its line, so a race on `counter = counter + 1` in a loop would be
# reported without the student's line. g++ keeps the line; its cache is left
# as it is. -O0 also compiles faster, and student code is small.
function(goc_student_code target)
  if(GOC_GRADER_CACHE AND GOC_TSAN AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -O0)
  endif()
endfunction()

if(GOC_TSAN)
  # Everything that runs in a TSan test must be instrumented, the runtime
  # included. Debug builds get their -g (or -g1) from the build type.
  add_compile_options(-fsanitize=thread -O1 $<$<NOT:$<CONFIG:Debug>>:-g>)
  add_link_options(-fsanitize=thread)
  add_compile_definitions(GOC_TSAN_BUILD=1)
endif()
