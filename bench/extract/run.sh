#!/usr/bin/env bash
# Extract benchmark: Syncline's warehouse engine vs psql COPY, from a throwaway PostgreSQL.
# usage: bench/extract/run.sh [--rows N] [--parallel N] [--rowset N]
# Prints rows/s for both, their ratio, and Syncline's peak RSS. Goal: >= 0.6x COPY on one
# connection, peak RSS < 64 MB whatever the row count.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=1000000 PARALLEL=1 ROWSET=4096
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --rowset) ROWSET=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--parallel N] [--rowset N]" >&2; exit 2 ;;
  esac
done
BUILD_DIR=${SYNCLINE_BUILD_DIR:-build}
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --target bench_extract -j2 >/dev/null

# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap services_stop_all EXIT
services_start_postgres >/dev/null

echo "loading $ROWS rows x 8 columns..."
psql -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE bench (
  id bigint PRIMARY KEY, qty integer, name text, amount numeric(14,2),
  created timestamptz, active boolean, score double precision, code varchar(16));
INSERT INTO bench
SELECT g, (g % 1000)::int, 'customer ' || md5(g::text), (g * 1.37)::numeric(14,2),
       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second', g % 3 = 0, g / 7.0,
       'C' || (g % 100000)::text
FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE bench;
SQL

now() { date +%s.%N; }
# Warm the cache once, then time COPY.
psql -q -c "COPY (SELECT * FROM bench) TO STDOUT" >/dev/null
start=$(now)
psql -q -c "COPY (SELECT * FROM bench) TO STDOUT" >/dev/null
copy_seconds=$(echo "$(now) - $start" | bc -l)
copy_rps=$(echo "$ROWS / $copy_seconds" | bc -l)

CONN="Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=$PGPORT;Database=$PGDATABASE;Uid=$PGUSER"
result=$("$BUILD_DIR/bench/extract/bench_extract" --connection "$CONN" --password-env PGPASSWORD --table bench \
  --key id --parallel "$PARALLEL" --rowset "$ROWSET")
echo "$result"
rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$result")
[ "$rows" = "$ROWS" ] || { echo "Syncline read $rows rows, expected $ROWS" >&2; exit 1; }
sync_rps=$(sed -E 's/.*rows_per_s=([0-9.]+).*/\1/' <<<"$result")
rss=$(sed -E 's/.*peak_rss_mb=([0-9.]+).*/\1/' <<<"$result")
printf 'COPY (psql)  : %12.0f rows/s (%.2f s)\n' "$copy_rps" "$copy_seconds"
printf 'Syncline     : %12.0f rows/s over %d connection(s), rowset %d\n' "$sync_rps" "$PARALLEL" "$ROWSET"
printf 'ratio        : %.2fx COPY\n' "$(echo "$sync_rps / $copy_rps" | bc -l)"
printf 'peak RSS     : %s MB\n' "$rss"
