#!/usr/bin/env bash
# Launches the real `syncline` under Xvfb on a fresh demo workspace, visits each screen and
# saves PNGs into docs/screenshots/ (welcome, sources, connection dialog, models preview, key check,
# diff preview, send in progress, runs, destination form, sync editor, mapper).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${SYNCLINE_BUILD_DIR:-build}
OUT=${1:-docs/screenshots}

if [[ ! -x "$BUILD_DIR/app/syncline" ]]; then
    [[ -f "$BUILD_DIR/build.ninja" ]] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD_DIR" --target syncline -j2
fi

# A throwaway home: fresh settings, demo warehouse and workspace; never the user's own.
SANDBOX=$(mktemp -d)
trap 'rm -rf "$SANDBOX"' EXIT
export HOME="$SANDBOX/home" XDG_CONFIG_HOME="$SANDBOX/config" XDG_DATA_HOME="$SANDBOX/data" XDG_CACHE_HOME="$SANDBOX/cache"
export XDG_RUNTIME_DIR="$SANDBOX/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export SYNCLINE_WORKSPACE="$SANDBOX/demo.syncline"
export QT_QPA_PLATFORM=xcb
mkdir -p "$OUT"
OUT_ABS=$(cd "$OUT" && pwd)

xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
    timeout 120 "$BUILD_DIR/app/syncline" --screenshot-dir "$OUT_ABS"

# Keep the committed pictures small.
if command -v pngquant >/dev/null; then
    for png in "$OUT_ABS"/*.png; do pngquant --force --skip-if-larger --output "$png" -- "$png" || true; done
fi
ls -l "$OUT_ABS"/*.png
