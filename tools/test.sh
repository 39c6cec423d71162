#!/usr/bin/env bash
# Sets up (dependencies + builds) and runs every test, in three parts:
#   1. release: the Release build in build/ and its ctest;
#   2. asan:    the whole suite built with AddressSanitizer + UndefinedBehavior-
#               Sanitizer in build-asan/ and its ctest (tests labelled `slow` are
#               skipped there); any sanitizer report fails the test;
#   3. fuzz:    the libFuzzer targets (tests/fuzz, clang) built in build-fuzz/,
#               each run from its seed corpus, FUZZ_SECONDS (60) shared by all.
# Every part runs even when an earlier one failed; the exit code is non-zero
# when any part failed. Arguments go to every ctest run (e.g. -R Csv).
#   SKIP_ASAN=1 / SKIP_FUZZ=1 leave a part out (for quick local runs).
# The end-to-end tests share one generated world per build directory
# (<build>/tests/worlds, see tests/tools/tiny_world.h), built by the first test
# that needs it and again whenever the ringscope binary changes.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
failed=()

# step NAME COMMAND...: runs it, prints its time, records a failure.
step() {
  local name=$1 start=$SECONDS
  shift
  echo "=== test.sh: $name" >&2
  if "$@"; then
    echo "=== test.sh: $name ok ($((SECONDS - start)) s)" >&2
    return 0
  fi
  echo "=== test.sh: $name FAILED ($((SECONDS - start)) s)" >&2
  failed+=("$name")
  return 1
}

# 1. Release.
if step "release build" bash tools/setup.sh; then
  step "release tests" ctest --test-dir build --output-on-failure -j "$JOBS" "$@"
fi

# 2. ASan + UBSan, built by clang at -O1 with line tables (build type Asan):
# about five times quicker to compile than gcc -O2 -g, with file:line in every
# report. Every report aborts the test (halt_on_error), leaks included.
if [ -z "${SKIP_ASAN:-}" ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
  if step "asan build" env BUILD_DIR=build-asan BUILD_TYPE=Asan \
      CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++-14 -DRINGSCOPE_SANITIZE=ON -DRINGSCOPE_BUILD_BENCHMARKS=OFF" \
      bash tools/setup.sh; then
    step "asan tests" ctest --test-dir build-asan --output-on-failure -j "$JOBS" -LE slow "$@"
  fi
fi

# 3. Fuzzing.
if [ -z "${SKIP_FUZZ:-}" ]; then
  if step "fuzz build" env BUILD_DIR=build-fuzz BUILD_TARGETS=ringscope_fuzzers \
      CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++-14 -DRINGSCOPE_FUZZ=ON -DRINGSCOPE_BUILD_BENCHMARKS=OFF" \
      bash tools/setup.sh; then
    step "fuzz run" bash tests/fuzz/run_fuzzers.sh build-fuzz "$FUZZ_SECONDS"
  fi
fi

if ((${#failed[@]})); then
  echo "=== test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "=== test.sh: all parts passed" >&2
