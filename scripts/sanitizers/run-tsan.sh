#!/bin/bash
# Runs the concurrent parts' tests -- runner, request cache, judge stage, store and result
# writer, the model adapters (HTTP engine, openai, exec, baseline), the model-side fault
# tests and the CLI runs (crash/resume, storage faults) -- from a ThreadSanitizer build
# (`make test-tsan` builds it), through CTest, JOBS at a time. A data race or lock-order
# report fails the run (halt_on_error); the `perseval` processes those tests spawn are
# instrumented too. Reports go to one file per process (a spawned run's stderr is captured
# by its test) and are printed at the end.
# Usage: run-tsan.sh BUILD_DIR JOBS
set -euo pipefail
build="$(cd "$1" && pwd)"
jobs="${2:-2}"
here="$(cd "$(dirname "$0")" && pwd)"
tags="[runner],[store],[cache],[judge],[http],[openai],[faults],[exec],[baseline],[cli]"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$logs/report"
if [ -f "$here/tsan.supp" ]; then
  TSAN_OPTIONS="$TSAN_OPTIONS:suppressions=$here/tsan.supp"
fi
export TSAN_OPTIONS

# The CTest numbers of the test cases carrying any of the tags.
declare -A number_of
while IFS= read -r line; do
  if [[ $line =~ ^\ *Test\ +\#([0-9]+):\ (.*)$ ]]; then
    number_of["${BASH_REMATCH[2]}"]="${BASH_REMATCH[1]}"
  fi
done < <(cd "$build" && ctest -N)
numbers=()
while IFS= read -r name; do
  [ -n "$name" ] || continue
  if [ -z "${number_of[$name]:-}" ]; then
    echo "run-tsan: test case not registered with CTest: $name" >&2
    exit 1
  fi
  numbers+=("${number_of[$name]}")
done < <("$build/perseval_tests" --list-test-names-only "$tags")
echo "run-tsan: ${#numbers[@]} test cases tagged $tags"

status=0
(cd "$build" && ctest --output-on-failure -j "$jobs" -I "0,0,0,$(IFS=,; echo "${numbers[*]}")") || status=$?
for report in "$logs"/report.*; do
  [ -e "$report" ] || continue
  echo "ThreadSanitizer report ($report):" >&2
  cat "$report" >&2
  status=1
done
exit "$status"
