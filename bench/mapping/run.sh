#!/usr/bin/env bash
# Measures the mapper alone (map + key hash + payload hash) over contacts-shaped rows.
# Usage: bench/mapping/run.sh [ROWS]   (default 10,000,000). Build first: cmake --build build --target bench_mapping
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${SYNCLINE_BUILD_DIR:-build}
exec "$BUILD_DIR/bench/mapping/bench_mapping" "${1:-10000000}"
