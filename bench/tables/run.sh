#!/usr/bin/env bash
# The delivery benchmark (not a test): rows/s of a 200,000-row upsert through the
# planner and runner into SQLite and PostgreSQL (and MariaDB), on throwaway servers.
# Usage: bench/tables/run.sh [rows]   Run it alone, on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-200000}
cmake --build build --target bench_tables >/dev/null
source scripts/test-services.sh
trap services_stop_all EXIT
services_start_postgres >/dev/null
services_start_mariadb >/dev/null
for type in file sqlite postgresql mariadb; do
  build/bench/tables/bench_tables "$type" "$ROWS"
done
