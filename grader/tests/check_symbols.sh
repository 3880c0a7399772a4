#!/usr/bin/env bash
# The grader's check of student files (goc-grader check-symbols) on every
# reference solution and wrong answer the build tree compiled: all of them are
# honest code and must pass. Fails when one is refused, or when none is built.
# Usage: check_symbols.sh GOC_GRADER COURSE_ROOT BUILD_DIR
set -u
grader=$1 root=$2 build=$3
objects=$(find "$build/exercises/CMakeFiles" -path '*_impl.dir/*' -name '*.o' 2>/dev/null |
          grep -E '/ex_[0-9]+_[0-9]+_(solution|wrong_[A-Za-z0-9_]+)_impl\.dir/' | sort)
if [ -z "$objects" ]; then
  echo "no solution or wrong-answer objects under $build/exercises: build the course first (cmake --build $build)"
  exit 1
fi
checked=0 refused=0
for object in $objects; do
  key=$(sed -E 's|.*/(ex_[0-9]+_[0-9]+)_.*|\1|' <<<"$object")
  # CMake names an object after its source's path from exercises/ ("__" for "..").
  relative=$(sed -E 's|.*_impl\.dir/||; s|\.o$||; s|__/|../|g' <<<"$object")
  source=$(realpath -m "$root/exercises/$relative")
  checked=$((checked + 1))
  if ! "$grader" --root "$root" check-symbols --exercise "$key" --source "$source" "$object"; then
    refused=$((refused + 1))
  fi
done
echo "$checked objects checked, $refused refused"
[ "$refused" -eq 0 ]
