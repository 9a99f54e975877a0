#!/bin/sh
# Runs the whole test suite from an AddressSanitizer + UndefinedBehaviorSanitizer build
# (`make test-asan` builds it). Any sanitizer report aborts the process that made it, which
# fails that test (binaries are built with -fno-sanitize-recover=all); processes the tests
# spawn (`perseval`, the test server) are instrumented too and inherit these options.
# Usage: run-asan.sh BUILD_DIR JOBS
set -eu
build="$1"
jobs="${2:-2}"
here="$(cd "$(dirname "$0")" && pwd)"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if [ -f "$here/lsan.supp" ]; then
  LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
  export LSAN_OPTIONS
fi
export ASAN_OPTIONS UBSAN_OPTIONS
cd "$build"
ctest --output-on-failure -j "$jobs"
