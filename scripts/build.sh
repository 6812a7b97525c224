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
# CMake's AUTOMOC (Ninja, 3.25) misses a Q_OBJECT header added after its target was first built,
# and the link then fails on a missing staticMetaObject. When the set of headers changed since
# the last build, make every target's moc step look again.
HEADERS_NOW=$(find app connectors engine tests ui bench -name '*.h' 2>/dev/null | sort | md5sum)
if [ "$(cat "$BUILD_DIR/.syncline-headers" 2>/dev/null)" != "$HEADERS_NOW" ]; then
  find "$BUILD_DIR" -path '*_autogen/timestamp' -delete 2>/dev/null || true
  echo "$HEADERS_NOW" > "$BUILD_DIR/.syncline-headers"
fi
cmake --build "$BUILD_DIR" --parallel "$(nproc)" "${TARGETS[@]}"
