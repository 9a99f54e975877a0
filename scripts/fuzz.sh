#!/bin/sh
# Runs every libFuzzer target of a PERSEVAL_FUZZ build for a fixed time each.
#
#   scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET]
#
# SECONDS_PER_TARGET defaults to 60 / (number of targets), at least 3: the CI pass. Each
# target starts from a copy of its seed corpus fuzz/corpus/<target>/ in a temporary directory
# (new corpus entries never go into the repository; set FUZZ_KEEP_CORPUS=DIR to keep them in
# DIR/<target>/). Crash, leak, timeout and out-of-memory inputs are written to
# BUILD_DIR/fuzz-artifacts/<target>/. Exits 1 when any target reported a finding, printing
# the input's path and the command that reproduces it; 2 on a usage error.
#
# Limits per target (override through the environment): FUZZ_RSS_LIMIT_MB (default 2048;
# also the single-allocation limit, so a runaway size is reported as a finding instead of
# std::bad_alloc), FUZZ_TIMEOUT (seconds per input, default 10), FUZZ_MAX_LEN (bytes,
# default 65536). FUZZ_JOBS>1 runs that many fuzzing processes per target in parallel.
# FUZZ_TMPDIR: where the temporary corpus and scratch files go (default /dev/shm).
set -u

usage() {
  echo "usage: $0 BUILD_DIR [SECONDS_PER_TARGET]" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
corpus_src=$root/fuzz/corpus
[ -d "$build" ] || { echo "fuzz.sh: $build: no such build directory" >&2; exit 2; }
build=$(cd "$build" && pwd)

targets=""
for bin in "$build"/fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] && targets="$targets $(basename "$bin")"
done
if [ -z "$targets" ]; then
  echo "fuzz.sh: no fuzz_* executables in $build; configure it with CC=clang CXX=clang++" \
       "-DPERSEVAL_FUZZ=ON and build the perseval_fuzz target" >&2
  exit 2
fi
count=$(echo $targets | wc -w)

if [ $# -eq 2 ]; then
  seconds=$2
else
  seconds=$((60 / count))
  [ "$seconds" -ge 3 ] || seconds=3
fi
case $seconds in '' | *[!0-9]*) usage ;; esac
[ "$seconds" -ge 1 ] || usage

rss=${FUZZ_RSS_LIMIT_MB:-2048}
timeout=${FUZZ_TIMEOUT:-10}
max_len=${FUZZ_MAX_LEN:-65536}
jobs=${FUZZ_JOBS:-1}

# Corpus copies and the targets' scratch files are rewritten on every input: keep them in
# memory (/dev/shm) unless FUZZ_TMPDIR says otherwise; on a disk-backed /tmp a busy machine
# cuts the loader targets' execs/s by 40x.
base=${FUZZ_TMPDIR:-}
if [ -z "$base" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; else base=${TMPDIR:-/tmp}; fi
fi
work=$(mktemp -d "$base/perseval-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
# The targets' scratch files (fuzz_support.h) go under $work too, and leave with it.
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
artifacts=$build/fuzz-artifacts

# Leaks are findings too; UBSan prints a stack. The caller's settings come last and win.
ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS

echo "fuzz.sh: $count targets x ${seconds}s (rss ${rss} MB, timeout ${timeout}s, max_len ${max_len})"
failed=""
summary=""
start_all=$(date +%s)
for target in $targets; do
  corpus=$work/corpus/$target
  mkdir -p "$corpus" "$artifacts/$target"
  if [ -d "$corpus_src/$target" ]; then
    cp "$corpus_src/$target"/* "$corpus"/ 2>/dev/null
  else
    echo "fuzz.sh: warning: no seed corpus fuzz/corpus/$target" >&2
  fi
  log=$work/$target.log
  parallel=""
  [ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs"
  # From $work: with -jobs, libFuzzer writes fuzz-N.log files into the current directory.
  (cd "$work" && "$build/$target" -max_total_time="$seconds" -rss_limit_mb="$rss" \
    -malloc_limit_mb="$rss" -timeout="$timeout" -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target/" $parallel "$corpus") >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  units=$(ls "$corpus" | wc -l)
  line=$(printf '%-28s %10s runs %8s exec/s  cov %6s  corpus %5s' "$target" "${runs:-?}" "${secs:-?}" "${cov:-?}" "$units")
  if [ $rc -ne 0 ]; then
    failed="$failed $target"
    line="$line  FINDING (exit $rc)"
    echo "==== $target: finding (exit $rc); the fuzzer's log:" >&2
    grep -av "^#[0-9]" "$log" | grep -av "NEW_FUNC" | tail -n 60 >&2  # without progress lines
    for input in $(sed -n "s|.*Test unit written to \(.*\)|\1|p" "$log"); do
      echo "==== $target: input saved as $input" >&2
      echo "==== reproduce: $build/$target $input" >&2
    done
  fi
  summary="$summary
$line"
  if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
    mkdir -p "$FUZZ_KEEP_CORPUS/$target" && cp "$corpus"/* "$FUZZ_KEEP_CORPUS/$target"/ 2>/dev/null
  fi
done
echo "$summary"
echo "fuzz.sh: done in $(($(date +%s) - start_all)) s"
if [ -n "$failed" ]; then
  echo "fuzz.sh: findings in:$failed (inputs under $artifacts/)" >&2
  exit 1
fi
exit 0
