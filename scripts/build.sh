#!/usr/bin/env bash
# Configures and builds Syncline into ./build (or $SYNCLINE_BUILD_DIR): every target, or only the
# ones named with --target NAME (and what they link). Other args go to cmake when it configures.
#   scripts/build.sh                                       everything: apps, tests, benchmarks
#   scripts/build.sh --target syncline --target syncline-cli   the two apps and their libraries
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${SYNCLINE_BUILD_DIR:-build}
TARGETS=()
CMAKE_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGETS+=(--target "${2:?--target needs a name}"); shift 2 ;;
    *) CMAKE_ARGS+=("$1"); shift ;;
  esac
done
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${SYNCLINE_BUILD_TYPE:-RelWithDebInfo} "${LAUNCHER[@]}" "${CMAKE_ARGS[@]}" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)" "${TARGETS[@]}"
