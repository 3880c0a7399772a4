# Runs one lesson example and checks what it did (cmake -P script, used by CTest).
#
#   cmake -DEXE=<program> [-DEXPECTED_STDOUT=<file>] [-DEXPECTED_EXIT=<n>]
#         [-DSTDOUT_MATCH_<i>=<regex>] [-DSTDOUT_NOMATCH_<i>=<regex>]
#         [-DSTDERR_MATCH_<i>=<regex>] [-DSTDERR_NOMATCH_<i>=<regex>]
#         [-DCHECKER=<script>] -P run_example.cmake
#
# EXPECTED_STDOUT: stdout must equal the file's text exactly.
# EXPECTED_EXIT:   the exit status (default 0).
# *_MATCH_<i> / *_NOMATCH_<i>: numbered from 0; every MATCH regex must be found
#                  in that stream and no NOMATCH regex may be.
# CHECKER:         a further cmake script, included with the program's output
#                  in OUT, ERR and RC; it calls message(SEND_ERROR ...) to fail.
#
# The program's own output is always echoed, so that CTest's
# FAIL_REGULAR_EXPRESSION sees any ThreadSanitizer report it printed.

cmake_minimum_required(VERSION 3.22...3.25)

if(NOT EXE)
  message(FATAL_ERROR "run_example.cmake: EXE is required")
endif()
if(NOT DEFINED EXPECTED_EXIT)
  set(EXPECTED_EXIT 0)
endif()

execute_process(COMMAND ${EXE}
  OUTPUT_VARIABLE OUT
  ERROR_VARIABLE ERR
  RESULT_VARIABLE RC)

message("---- stdout of ${EXE}:\n${OUT}---- stderr:\n${ERR}---- exit status: ${RC}")

set(failures 0)
macro(fail text)
  message(SEND_ERROR "${text}")
  math(EXPR failures "${failures} + 1")
endmacro()

if(NOT "${RC}" STREQUAL "${EXPECTED_EXIT}")
  fail("exit status was '${RC}', expected ${EXPECTED_EXIT}")
endif()

if(EXPECTED_STDOUT)
  file(READ "${EXPECTED_STDOUT}" expected)
  if(NOT "${OUT}" STREQUAL "${expected}")
    fail("stdout differs from ${EXPECTED_STDOUT}; expected:\n${expected}")
  endif()
endif()

foreach(stream STDOUT STDERR)
  if(stream STREQUAL "STDOUT")
    set(text "${OUT}")
  else()
    set(text "${ERR}")
  endif()
  foreach(kind MATCH NOMATCH)
    set(i 0)
    while(DEFINED ${stream}_${kind}_${i})
      set(re "${${stream}_${kind}_${i}}")
      string(REGEX MATCH "${re}" found "${text}")
      if(kind STREQUAL "MATCH" AND "${found}" STREQUAL "")
        fail("${stream} does not match the regex: ${re}")
      elseif(kind STREQUAL "NOMATCH" AND NOT "${found}" STREQUAL "")
        fail("${stream} must not contain '${found}' (regex: ${re})")
      endif()
      math(EXPR i "${i} + 1")
    endwhile()
  endforeach()
endforeach()

if(CHECKER)
  include("${CHECKER}")
endif()

if(failures GREATER 0)
  message(FATAL_ERROR "${EXE}: ${failures} check(s) failed")
endif()
