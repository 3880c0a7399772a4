# Helpers every test folder uses, so that all tests share one shape:
# labelled, run in both presets, failed by any ThreadSanitizer warning.

# ThreadSanitizer settings for every test: keep running after a report (so the
# test framework still writes its results), no 1 s sleep at exit, both stacks
# of a lock-order report.
set(GOC_TSAN_OPTIONS "halt_on_error=0:atexit_sleep_ms=0:second_deadlock_stack=1")

# goc_test_properties(<test> LABELS <l>... [TIMEOUT <s>])
function(goc_test_properties test)
  cmake_parse_arguments(ARG "" "TIMEOUT" "LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set_tests_properties(${test} PROPERTIES
    LABELS "${ARG_LABELS}"
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "TSAN_OPTIONS=${GOC_TSAN_OPTIONS}"
    FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
endfunction()

# goc_test_code(<target>): compile options for test code, that is test sources
# and the precompiled Catch2 header they share (every target that reuses
# goc_pch must call it, or the precompiled header does not match). Under
# ThreadSanitizer test code is compiled without optimisation: it is instrumented
# all the same, so every race it takes part in is still reported, and it
# compiles about a third faster. The code under test (the runtime, lesson
# examples, student files) keeps -O1. The grader's cache compiles test code
# once per machine and runs it for every submission, so there it is
# optimised (goc_grading_code; -O1 under ThreadSanitizer).
function(goc_test_code target)
  if(GOC_TSAN AND NOT GOC_GRADER_CACHE)
    target_compile_options(${target} PRIVATE -O0)
  endif()
  goc_grading_code(${target})
endfunction()

# goc_add_catch_test(<name> SOURCES <src>... LABELS <l>... [LIBS <lib>...] [TIMEOUT <s>])
# One executable, one CTest test; Catch2's main (with the goroutine leak
# check) comes precompiled from goc_catch_main.
function(goc_add_catch_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LABELS;LIBS;ARGS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE goc::catch_main goc::runtime ${ARG_LIBS})
  target_precompile_headers(${name} REUSE_FROM goc_pch)
  goc_test_code(${name})
  add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
  goc_test_properties(${name} LABELS ${ARG_LABELS} TIMEOUT ${ARG_TIMEOUT})
endfunction()
