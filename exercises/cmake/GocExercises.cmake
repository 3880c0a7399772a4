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

# goc_read_manifest(<file>): reads the keys CMake needs from the manifest.
# Sets GOC_EXERCISE_IDS (in manifest order) and, per id with key K,
# GOC_<K>_STUDENT_FILES and GOC_<K>_SKELETON_FAILS ("test" or "race").
# Only a subset of TOML is understood, the one the manifest uses: `id`,
# `student_files` (one line) and `skeleton_fails` as `key = value` lines inside
# [[exercise]] tables. Other keys (hints, points, ...) are the grader's.
function(goc_read_manifest file)
  file(READ "${file}" text)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(ids "")
  set(in_exercise FALSE)
  set(current "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*\\[\\[exercise\\]\\]")
      set(in_exercise TRUE)
      set(current "")
    elseif(line MATCHES "^[ \t]*\\[")
      set(in_exercise FALSE)
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
# same commands, in a fraction of a second.
add_library(goc_exercise_pch OBJECT "${CMAKE_CURRENT_LIST_DIR}/exercise_pch.cpp")
_goc_exercise_object(goc_exercise_pch "")
target_precompile_headers(goc_exercise_pch PRIVATE <goc/goc.hpp>)

# An OBJECT library with `files` (full paths) for exercise `id`.
function(_goc_impl_library target id)
  add_library(${target} OBJECT ${ARGN})
  _goc_exercise_object(${target} ${id})
  target_precompile_headers(${target} REUSE_FROM goc_exercise_pch)
endfunction()

# An executable: one test-object library plus one implementation library.
function(_goc_exercise_program name tests impl)
  add_executable(${name})
  target_link_libraries(${name} PRIVATE ${tests} ${impl} goc::catch_main goc::runtime)
endfunction()

# A test that passes only when at least one of `programs` (target names)
# fails: non-zero exit, a hang past the limit, or a ThreadSanitizer report.
function(_goc_expect_failure_test name label)
  set(commands "")
  foreach(p IN LISTS ARGN)
    list(APPEND commands "$<TARGET_FILE:${p}>")
  endforeach()
  add_test(NAME ${name}
           COMMAND bash "${GOC_EXPECT_FAILURE}" --limit ${GOC_EXPECT_FAILURE_LIMIT} -- ${commands})
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
      else()
        _goc_expect_failure_test(${W}_rejected wrong-answer ${W}_public ${W}_hidden)
      endif()
    endforeach()
  endif()

  # Optional hook for what the generic rules cannot express.
  if(EXISTS "${ex_dir}/exercise.cmake")
    include("${ex_dir}/exercise.cmake")
  endif()
endfunction()
