#!/usr/bin/env bash
# The try-it command: installs what is missing, builds the two executables and their libraries
# (not the tests and benchmarks: scripts/test.sh builds those), and opens Syncline on the demo workspace.
#   scripts/run.sh              opens the desktop app
#   scripts/run.sh --headless   runs the demo sync end to end in the terminal (syncline-cli demo)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh --target syncline --target syncline-cli
BUILD_DIR=${SYNCLINE_BUILD_DIR:-build}
if [ "${1:-}" = "--headless" ]; then
  shift
  exec "$BUILD_DIR/app/syncline-cli" demo "$@"
fi
exec "$BUILD_DIR/app/syncline" "$@"
