#!/usr/bin/env bash
# The test command: installs what is missing, builds, starts throwaway PostgreSQL and MariaDB
# servers and a headless keyring, runs every test with ctest, and stops the servers.
# Usage: scripts/test.sh [ctest args...]   e.g. scripts/test.sh -R warehouse
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scripts/setup-debian.sh
scripts/build.sh

# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap services_stop_all EXIT
services_start_postgres
services_start_mariadb

cd "${SYNCLINE_BUILD_DIR:-build}"
# Xvfb-free: GUI tests run on the offscreen platform; the keyring needs a D-Bus session.
with_keyring ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
