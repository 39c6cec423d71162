#!/usr/bin/env bash
# Installs ringscope's dependencies from Debian packages, then configures and
# builds it into build/. Idempotent: when every package is present it skips
# apt entirely and only runs an incremental build.
#
#   bash tools/setup.sh            # deps + Release build in build/
#   BUILD_DIR=build-asan CMAKE_ARGS="-DRINGSCOPE_SANITIZE=ON" bash tools/setup.sh
#   BUILD_DIR=build-fuzz CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++-14 -DRINGSCOPE_FUZZ=ON" \
#     BUILD_TARGETS=ringscope_fuzzers bash tools/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  clang-14 libclang-rt-14-dev  # libFuzzer targets (tests/fuzz), built by tools/test.sh
  libboost-graph-dev libsqlite3-dev sqlite3 libcli11-dev libspdlog-dev libfmt-dev
  libsimdjson-dev zlib1g-dev libzstd-dev zstd libxxhash-dev libssl-dev
  googletest libgtest-dev libreadline-dev libgraphviz-dev
  libbenchmark-dev libigraph-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # shellcheck disable=SC2086
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} ${CMAKE_ARGS:-} >&2
fi
# BUILD_TARGETS (space-separated) builds only those targets instead of all.
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j "$JOBS" ${BUILD_TARGETS:+--target $BUILD_TARGETS} >&2
