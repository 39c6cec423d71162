#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzzing build for a bounded time, starting
# from its seed corpus (tests/fuzz/corpus/<target>/, never written to: new
# inputs go to a scratch copy). Any finding (crash, leak, sanitizer report,
# timeout, out-of-memory) fails: the exit code is non-zero and the input is
# kept in BUILD_DIR/fuzz-findings/ for reproducing (`BUILD_DIR/fuzz/fuzz_X FILE`).
#
#   bash tests/fuzz/run_fuzzers.sh build-fuzz 60    # 60 s shared by all targets
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build-fuzz}
TOTAL_SECONDS=${2:-60}
shopt -s nullglob
targets=("$BUILD_DIR"/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then
  echo "run_fuzzers: no fuzz targets in $BUILD_DIR/fuzz (build the ringscope_fuzzers target)" >&2
  exit 1
fi
seconds=$(( TOTAL_SECONDS / ${#targets[@]} ))
((seconds < 1)) && seconds=1
findings="$BUILD_DIR/fuzz-findings"
mkdir -p "$findings"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=0
for target in "${targets[@]}"; do
  name=$(basename "$target")
  name=${name#fuzz_}
  seeds="tests/fuzz/corpus/$name"
  work="$scratch/$name"
  mkdir -p "$work"
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1
        -artifact_prefix="$findings/$name-")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  log="$scratch/$name.log"
  "$target" "${args[@]}" "$work" "$seeds" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$work" | wc -l)
  if ((status != 0)); then
    failed=1
    echo "fuzz $name: FAILED (exit $status) after ${runs:-?} runs; input saved in $findings/" >&2
    grep -v '^#' "$log" | tail -60 >&2
  else
    echo "fuzz $name: ok, ${runs:-?} runs in ${seconds} s, $corpus new corpus inputs"
  fi
done
exit $failed
