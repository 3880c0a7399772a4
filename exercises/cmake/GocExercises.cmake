# The exercise framework: reads exercises/manifest.toml and, for every exercise
# it lists, defines the programs the student, the grader and the test suite run.
# exercises/FRAMEWORK.md explains how to add an exercise.
#
# For an exercise `NN-topic/MM-slug` with key K = ex_NN_MM:
#   K_public_tests, K_hidden_tests   OBJECT libraries, each test source compiled once
#   K_student_impl, K_solution_impl  OBJECT libraries of the student / reference files
#   K_student_public, K_student_hidden, K_solution_public, K_solution_hidden   executables
#   K_all_tests, K_student_tests   (GOC_GRADER_CACHE only) both test sources as one
#                     object, and the program of it and the student's files
#   K_wrong_<variant>_public, K_wrong_<variant>_hidden   executables per wrong answer
# and the CTest tests
#   K_solution_public (label exercise), K_solution_hidden (labels exercise;hidden),
#   K_skeleton_fails (label skeleton), K_wrong_<variant>_rejected (label wrong-answer).

set(GOC_STUDENT_DIR "${CMAKE_SOURCE_DIR}/exercises" CACHE PATH
    "Where the student files come from, as <dir>/<exercise id>/<file>")

set(GOC_EXERCISES_DIR "${CMAKE_SOURCE_DIR}/exercises")
set(GOC_SOLUTIONS_DIR "${CMAKE_SOURCE_DIR}/solutions")
set(GOC_HIDDEN_DIR "${CMAKE_SOURCE_DIR}/hidden")
set(GOC_WRONG_ANSWERS_DIR "${CMAKE_SOURCE_DIR}/tests/wrong-answers")
set(GOC_EXPECT_FAILURE "${CMAKE_CURRENT_LIST_DIR}/expect_failure.sh")

# How long one program of a "must fail" check may run before it counts as
# hung (a hang is a failure too). ThreadSanitizer runs 5-15x slower.
if(GOC_TSAN)
  set(GOC_EXPECT_FAILURE_LIMIT 90)
else()
  set(GOC_EXPECT_FAILURE_LIMIT 25)
endif()
math(EXPR GOC_EXPECT_FAILURE_CTEST_TIMEOUT "2 * ${GOC_EXPECT_FAILURE_LIMIT} + 30")

# Did the test suite get the course's own student files (the skeletons)? Only
# then do the "skeleton fails" checks mean anything.
get_filename_component(_goc_student_real "${GOC_STUDENT_DIR}" REALPATH)
get_filename_component(_goc_exercises_real "${GOC_EXERCISES_DIR}" REALPATH)
if(_goc_student_real STREQUAL _goc_exercises_real)
  set(GOC_STUDENT_DIR_IS_SKELETONS TRUE)
else()
  set(GOC_STUDENT_DIR_IS_SKELETONS FALSE)
endif()

# goc_exercise_key(<out-var> <id>): "01-goroutines/02-race-counter" -> "ex_01_02".
function(goc_exercise_key out id)
  if(NOT id MATCHES "^([0-9][0-9])-[a-z0-9-]+/([0-9][0-9])-[a-z0-9-]+$")
    message(FATAL_ERROR "exercise id '${id}' is not of the form NN-topic/MM-slug")
  endif()
  set(${out} "ex_${CMAKE_MATCH_1}_${CMAKE_MATCH_2}" PARENT_SCOPE)
endfunction()

# The number of seeded schedules (GOC_SCHEDULE) a program is run under when
# the manifest says nothing (its [course] key `schedules`): none, as the
# grader reads it (grader/src/common/manifest.cpp).
set(GOC_DEFAULT_SCHEDULES 0)

# goc_read_manifest(<file>): reads the keys CMake needs from the manifest.
# Sets GOC_EXERCISE_IDS (in manifest order), GOC_COURSE_SCHEDULES and, per id
# with key K, GOC_<K>_STUDENT_FILES, GOC_<K>_SKELETON_FAILS ("test" or
# "race"), GOC_<K>_SCHEDULES and GOC_<K>_HIDDEN_ONLY (the wrong-answer
# variants only the hidden tests reject, on purpose).
# Only a subset of TOML is understood, the one the manifest uses: `schedules`
# in [course]; `id`, `student_files` (one line), `skeleton_fails`, `schedules`
# and `hidden_only` (an inline table on one line) as `key = value` lines
# inside [[exercise]] tables. Other keys (hints, points, ...) are the grader's.
function(goc_read_manifest file)
  file(READ "${file}" text)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(ids "")
  set(in_exercise FALSE)
  set(in_course FALSE)
  set(current "")
  set(GOC_COURSE_SCHEDULES ${GOC_DEFAULT_SCHEDULES} PARENT_SCOPE)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*\\[\\[exercise\\]\\]")
      set(in_exercise TRUE)
      set(in_course FALSE)
      set(current "")
    elseif(line MATCHES "^[ \t]*\\[course\\]")
      set(in_exercise FALSE)
      set(in_course TRUE)
    elseif(line MATCHES "^[ \t]*\\[")
      set(in_exercise FALSE)
      set(in_course FALSE)
    elseif(line MATCHES "^schedules[ \t]*=")
      if(NOT line MATCHES "^schedules[ \t]*=[ \t]*([0-9]+)[ \t]*(#.*)?$")
        message(FATAL_ERROR "manifest: `schedules` must be a whole number (line: ${line})")
      endif()
      if(in_course)
        set(GOC_COURSE_SCHEDULES ${CMAKE_MATCH_1} PARENT_SCOPE)
      elseif(in_exercise AND NOT current STREQUAL "")
        set(GOC_${key}_SCHEDULES ${CMAKE_MATCH_1} PARENT_SCOPE)
      endif()
    elseif(in_exercise AND line MATCHES "^hidden_only[ \t]*=")
      if(current STREQUAL "" OR NOT line MATCHES "^hidden_only[ \t]*=[ \t]*{(.*)}[ \t]*$")
        message(FATAL_ERROR "manifest: put `id` first, and write hidden_only on one line as "
                            "hidden_only = { \"<variant>\" = \"<why>\" } (line: ${line})")
      endif()
      # Keys are the quoted strings followed by `=`.
      string(REGEX MATCHALL "\"[^\"]+\"[ \t]*=" quoted "${CMAKE_MATCH_1}")
      set(variants "")
      foreach(q IN LISTS quoted)
        string(REGEX REPLACE "^\"([^\"]+)\".*" "\\1" v "${q}")
        list(APPEND variants "${v}")
      endforeach()
      set(GOC_${key}_HIDDEN_ONLY "${variants}" PARENT_SCOPE)
    elseif(in_exercise AND line MATCHES "^id[ \t]*=[ \t]*\"([^\"]*)\"")
      set(current "${CMAKE_MATCH_1}")
      goc_exercise_key(key "${current}")
      if(current IN_LIST ids)
        message(FATAL_ERROR "manifest: exercise '${current}' is listed twice")
      endif()
      list(APPEND ids "${current}")
      set(GOC_${key}_SKELETON_FAILS "test" PARENT_SCOPE)
    elseif(in_exercise AND line MATCHES "^student_files[ \t]*=[ \t]*\\[(.*)\\]")
      if(current STREQUAL "")
        message(FATAL_ERROR "manifest: put `id` first in each [[exercise]] (line: ${line})")
      endif()
      string(REGEX MATCHALL "\"[^\"]+\"" quoted "${CMAKE_MATCH_1}")
      set(files "")
      foreach(q IN LISTS quoted)
        string(REPLACE "\"" "" f "${q}")
        list(APPEND files "${f}")
      endforeach()
      set(GOC_${key}_STUDENT_FILES "${files}" PARENT_SCOPE)
    elseif(in_exercise AND line MATCHES "^skeleton_fails[ \t]*=[ \t]*\"([^\"]*)\"")
      if(NOT CMAKE_MATCH_1 MATCHES "^(test|race)$")
        message(FATAL_ERROR "manifest: ${current}: skeleton_fails must be \"test\" or \"race\"")
      endif()
      set(GOC_${key}_SKELETON_FAILS "${CMAKE_MATCH_1}" PARENT_SCOPE)
    endif()
  endforeach()
  set(GOC_EXERCISE_IDS "${ids}" PARENT_SCOPE)
endfunction()

# Compile options every exercise object gets: the support header, the
# exercise's own folder (its contract header), warnings that help students.
function(_goc_exercise_object target id)
  target_include_directories(${target} PRIVATE
    "${GOC_EXERCISES_DIR}/${id}" "${GOC_EXERCISES_DIR}/support")
  target_link_libraries(${target} PRIVATE goc::catch_main goc::runtime)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()

# Student files are short, but each includes the whole runtime (<goc/goc.hpp>,
# about two seconds to parse). It is precompiled once here, and every student,
# solution and wrong-answer file reuses it: the course builds about a hundred
# of them per preset, and the grader compiles each submitted file with these
# same commands, in a fraction of a second. The standard headers that exercise
# headers and solutions use beyond what <goc/goc.hpp> brings are in it too:
# <algorithm> alone took about a tenth of a second to parse in each file that
# included it.
add_library(goc_exercise_pch OBJECT "${CMAKE_CURRENT_LIST_DIR}/exercise_pch.cpp")
_goc_exercise_object(goc_exercise_pch "")
target_precompile_headers(goc_exercise_pch PRIVATE <goc/goc.hpp> <algorithm> <map> <numeric>)
goc_student_code(goc_exercise_pch)

# An OBJECT library with `files` (full paths) for exercise `id`.
function(_goc_impl_library target id)
  add_library(${target} OBJECT ${ARGN})
  _goc_exercise_object(${target} ${id})
  target_precompile_headers(${target} REUSE_FROM goc_exercise_pch)
  goc_student_code(${target})
endfunction()

# An executable: one test-object library plus one implementation library.
function(_goc_exercise_program name tests impl)
  add_executable(${name})
  target_link_libraries(${name} PRIVATE ${tests} ${impl} goc::catch_main goc::runtime)
endfunction()

# goc_schedule_specs(<out-var> <n>): the first n of the fixed schedule set the
# grader uses (GOC_SCHEDULE values): schedule i (1-based) is random:<(i+1)/2>
# when i is odd, pct:<i/2>:<2 if i/2 is odd, else 3> when i is even.
function(goc_schedule_specs out n)
  set(specs "")
  if(n GREATER 0)
    foreach(i RANGE 1 ${n})
      math(EXPR half "${i} / 2")
      math(EXPR odd "${i} % 2")
      if(odd)
        math(EXPR seed "(${i} + 1) / 2")
        list(APPEND specs "random:${seed}")
      else()
        math(EXPR half_odd "${half} % 2")
        if(half_odd)
          list(APPEND specs "pct:${half}:2")
        else()
          list(APPEND specs "pct:${half}:3")
        endif()
      endif()
    endforeach()
  endif()
  set(${out} "${specs}" PARENT_SCOPE)
endfunction()

# A test that passes only when at least one of `programs` (target names)
# fails: non-zero exit, a hang past the limit, or a ThreadSanitizer report.
# With SCHEDULES <spec>... each program that passes is also run under those
# seeded schedules (a failing one twice, to check that it replays).
function(_goc_expect_failure_test name label)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SCHEDULES")
  set(commands "")
  foreach(p IN LISTS arg_UNPARSED_ARGUMENTS)
    list(APPEND commands "$<TARGET_FILE:${p}>")
  endforeach()
  set(schedule_option "")
  if(arg_SCHEDULES)
    list(JOIN arg_SCHEDULES " " joined)
    set(schedule_option --schedules "${joined}")
  endif()
  add_test(NAME ${name}
           COMMAND bash "${GOC_EXPECT_FAILURE}" --limit ${GOC_EXPECT_FAILURE_LIMIT}
                   ${schedule_option} -- ${commands})
  goc_test_properties(${name} LABELS ${label} TIMEOUT ${GOC_EXPECT_FAILURE_CTEST_TIMEOUT})
endfunction()

# goc_add_exercise(<id>): everything for one exercise (see the top of this file).
function(goc_add_exercise id)
  goc_exercise_key(K "${id}")
  set(ex_dir "${GOC_EXERCISES_DIR}/${id}")
  set(files "${GOC_${K}_STUDENT_FILES}")
  if(NOT EXISTS "${ex_dir}/public_test.cpp")
    message(FATAL_ERROR "exercise ${id}: ${ex_dir}/public_test.cpp is missing")
  endif()
  if(files STREQUAL "")
    message(FATAL_ERROR "exercise ${id}: the manifest gives no student_files")
  endif()

  # Each test source is compiled once and linked into every variant.
  add_library(${K}_public_tests OBJECT "${ex_dir}/public_test.cpp")
  _goc_exercise_object(${K}_public_tests ${id})
  target_precompile_headers(${K}_public_tests REUSE_FROM goc_pch)
  goc_test_code(${K}_public_tests)
  set(hidden_test "${GOC_HIDDEN_DIR}/${id}/hidden_test.cpp")
  set(have_hidden FALSE)
  if(EXISTS "${hidden_test}")
    set(have_hidden TRUE)
    add_library(${K}_hidden_tests OBJECT "${hidden_test}")
    _goc_exercise_object(${K}_hidden_tests ${id})
    target_precompile_headers(${K}_hidden_tests REUSE_FROM goc_pch)
    goc_test_code(${K}_hidden_tests)
  endif()

  # The student's variant, from GOC_STUDENT_DIR.
  set(student_sources "")
  set(student_complete TRUE)
  foreach(f IN LISTS files)
    if(EXISTS "${GOC_STUDENT_DIR}/${id}/${f}")
      list(APPEND student_sources "${GOC_STUDENT_DIR}/${id}/${f}")
    else()
      set(student_complete FALSE)
      message(WARNING "exercise ${id}: ${GOC_STUDENT_DIR}/${id}/${f} is missing; "
                      "no ${K}_student_* programs")
    endif()
  endforeach()
  if(student_complete)
    _goc_impl_library(${K}_student_impl ${id} ${student_sources})
    _goc_exercise_program(${K}_student_public ${K}_public_tests ${K}_student_impl)
    if(have_hidden)
      _goc_exercise_program(${K}_student_hidden ${K}_hidden_tests ${K}_student_impl)
      # The grader's cache has one program with both test sources, compiled
      # as one translation unit (K_all_tests; a quarter less CPU than two):
      # per submission the grader links it once per variant and runs it once
      # per list of test cases (public, hidden), and it lists those from the
      # file names (Catch2's -#). A helper defined in both files breaks that
      # unit: the grader then falls back to the two programs above.
      if(GOC_GRADER_CACHE)
        add_library(${K}_all_tests OBJECT "${ex_dir}/public_test.cpp" "${hidden_test}")
        _goc_exercise_object(${K}_all_tests ${id})
        set_target_properties(${K}_all_tests PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
        target_precompile_headers(${K}_all_tests REUSE_FROM goc_pch)
        goc_test_code(${K}_all_tests)
        _goc_exercise_program(${K}_student_tests ${K}_all_tests ${K}_student_impl)
      endif()
    endif()
  endif()

  # The reference solution (absent from the student release).
  set(solution_sources "")
  set(have_solution TRUE)
  foreach(f IN LISTS files)
    if(EXISTS "${GOC_SOLUTIONS_DIR}/${id}/${f}")
      list(APPEND solution_sources "${GOC_SOLUTIONS_DIR}/${id}/${f}")
    else()
      set(have_solution FALSE)
    endif()
  endforeach()
  if(have_solution)
    _goc_impl_library(${K}_solution_impl ${id} ${solution_sources})
    _goc_exercise_program(${K}_solution_public ${K}_public_tests ${K}_solution_impl)
    add_test(NAME ${K}_solution_public COMMAND ${K}_solution_public)
    goc_test_properties(${K}_solution_public LABELS exercise)
    if(have_hidden)
      _goc_exercise_program(${K}_solution_hidden ${K}_hidden_tests ${K}_solution_impl)
      add_test(NAME ${K}_solution_hidden COMMAND ${K}_solution_hidden)
      goc_test_properties(${K}_solution_hidden LABELS exercise hidden)
    endif()
  endif()

  # The untouched skeleton must fail at least one graded item. With
  # skeleton_fails = "race" only the race-detector run can show it.
  if(GOC_STUDENT_DIR_IS_SKELETONS AND student_complete AND have_hidden AND have_solution)
    if(GOC_${K}_SKELETON_FAILS STREQUAL "race" AND NOT GOC_TSAN)
      # Nothing to check in this preset; the tsan preset checks it.
    else()
      _goc_expect_failure_test(${K}_skeleton_fails skeleton
                               ${K}_student_public ${K}_student_hidden)
    endif()
  endif()

  # Plausible wrong answers: tests/wrong-answers/<id>/<variant>/<student file>.
  # A variant may hold only some of the student files; the others come from
  # the solution. A variant whose files say `// CAUGHT BY: race` is only
  # checked in the tsan preset.
  if(have_hidden AND have_solution AND IS_DIRECTORY "${GOC_WRONG_ANSWERS_DIR}/${id}")
    set(schedule_count ${GOC_COURSE_SCHEDULES})
    if(DEFINED GOC_${K}_SCHEDULES)
      set(schedule_count ${GOC_${K}_SCHEDULES})
    endif()
    goc_schedule_specs(schedules ${schedule_count})
    file(GLOB variants LIST_DIRECTORIES true CONFIGURE_DEPENDS
         RELATIVE "${GOC_WRONG_ANSWERS_DIR}/${id}"
         "${GOC_WRONG_ANSWERS_DIR}/${id}/*")
    list(SORT variants)
    foreach(v IN LISTS variants)
      set(v_dir "${GOC_WRONG_ANSWERS_DIR}/${id}/${v}")
      if(NOT IS_DIRECTORY "${v_dir}")
        continue()
      endif()
      string(MAKE_C_IDENTIFIER "${v}" v_key)
      set(sources "")
      set(own_files 0)
      set(race_only FALSE)
      foreach(f IN LISTS files)
        if(EXISTS "${v_dir}/${f}")
          list(APPEND sources "${v_dir}/${f}")
          math(EXPR own_files "${own_files} + 1")
          file(STRINGS "${v_dir}/${f}" caught REGEX "^// CAUGHT BY: race")
          if(caught)
            set(race_only TRUE)
          endif()
        else()
          list(APPEND sources "${GOC_SOLUTIONS_DIR}/${id}/${f}")
        endif()
      endforeach()
      if(own_files EQUAL 0)
        message(FATAL_ERROR "wrong answer ${id}/${v} holds none of the student files (${files})")
      endif()
      set(W ${K}_wrong_${v_key})
      _goc_impl_library(${W}_impl ${id} ${sources})
      _goc_exercise_program(${W}_public ${K}_public_tests ${W}_impl)
      _goc_exercise_program(${W}_hidden ${K}_hidden_tests ${W}_impl)
      if(race_only AND NOT GOC_TSAN)
        # Functionally right in a plain build: only the tsan preset rejects it.
      elseif(GOC_TSAN OR v IN_LIST GOC_${K}_HIDDEN_ONLY)
        # The tsan preset checks that some program rejects it under the race
        # detector; a variant the manifest lists in hidden_only is, on
        # purpose, rejected only by the hidden tests.
        _goc_expect_failure_test(${W}_rejected wrong-answer ${W}_public ${W}_hidden)
      else()
        # Every other wrong answer must lose points in the public tests the
        # student can run, under one of the grader's seeded schedules: those
        # fail the same way on every machine (expect_failure.sh).
        _goc_expect_failure_test(${W}_rejected wrong-answer ${W}_public SCHEDULES ${schedules})
      endif()
    endforeach()
    foreach(v IN LISTS GOC_${K}_HIDDEN_ONLY)
      if(NOT v IN_LIST variants)
        message(FATAL_ERROR "manifest: ${id}: hidden_only names '${v}', which is not a folder "
                            "of tests/wrong-answers/${id}")
      endif()
    endforeach()
  endif()

  # Optional hook for what the generic rules cannot express.
  if(EXISTS "${ex_dir}/exercise.cmake")
    include("${ex_dir}/exercise.cmake")
  endif()
endfunction()
