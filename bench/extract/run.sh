#!/usr/bin/env bash
# Extract benchmark: Syncline's warehouse engine vs psql COPY, from a throwaway PostgreSQL.
# usage: bench/extract/run.sh [--rows N] [--parallel N] [--rowset N] [--repeat N] [--compare-odbc]
# Prints rows/s for both (best of --repeat runs, interleaved, so a busy machine hurts both
# alike), their ratio (best, and the median of the paired runs), Syncline's CPU seconds per run
# and its peak RSS. --parallel N reads the table split by key over N connections, the way a sync
# with extract_connections: N does. Goals: median >= 0.6x COPY on one connection, >= 1.0x with
# --parallel 4; peak RSS < 64 MB whatever the row count. Syncline reads PostgreSQL with COPY
# (warehouse/pgcopycursor.h); --compare-odbc also runs it with SYNCLINE_PG_COPY=0 (psqlODBC) in each
# round and prints that median too.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=1000000 PARALLEL=1 ROWSET=4096 REPEAT=3 COMPARE=0
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --rowset) ROWSET=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --compare-odbc) COMPARE=1; shift ;;
    *) echo "usage: $0 [--rows N] [--parallel N] [--rowset N] [--repeat N] [--compare-odbc]" >&2; exit 2 ;;
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
CONN="Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=$PGPORT;Database=$PGDATABASE;Uid=$PGUSER"
psql -q -c "COPY (SELECT * FROM bench) TO STDOUT" >/dev/null # warm the cache
best_copy=0 best_sync=0 rss=0 ratios=() odbc_ratios=() cpus=() odbc_cpus=()
for i in $(seq "$REPEAT"); do
  start=$(now)
  psql -q -c "COPY (SELECT * FROM bench) TO STDOUT" >/dev/null
  copy_rps=$(echo "$ROWS / ($(now) - $start)" | bc -l)
  result=$("$BUILD_DIR/bench/extract/bench_extract" --connection "$CONN" --password-env PGPASSWORD --table bench \
    --key id --parallel "$PARALLEL" --rowset "$ROWSET")
  pair=$(echo "$(sed -E 's/.*rows_per_s=([0-9.]+).*/\1/' <<<"$result") / $copy_rps" | bc -l)
  ratios+=("$pair")
  cpus+=("$(sed -E 's/.*cpu_s=([0-9.]+).*/\1/' <<<"$result")")
  if [ "$COMPARE" = 1 ]; then
    odbc=$(SYNCLINE_PG_COPY=0 "$BUILD_DIR/bench/extract/bench_extract" --connection "$CONN" --password-env PGPASSWORD \
      --table bench --key id --parallel "$PARALLEL" --rowset "$ROWSET")
    odbc_ratios+=("$(echo "$(sed -E 's/.*rows_per_s=([0-9.]+).*/\1/' <<<"$odbc") / $copy_rps" | bc -l)")
    odbc_cpus+=("$(sed -E 's/.*cpu_s=([0-9.]+).*/\1/' <<<"$odbc")")
  fi
  echo "run $i: COPY $(printf '%.0f' "$copy_rps") rows/s; Syncline $result; ratio $(printf '%.2f' "$pair")"
  [ "$COMPARE" = 0 ] || echo "run $i: ODBC (SYNCLINE_PG_COPY=0) $odbc; ratio $(printf '%.2f' "${odbc_ratios[-1]}")"
  rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' <<<"$result")
  [ "$rows" = "$ROWS" ] || { echo "Syncline read $rows rows, expected $ROWS" >&2; exit 1; }
  sync_rps=$(sed -E 's/.*rows_per_s=([0-9.]+).*/\1/' <<<"$result")
  run_rss=$(sed -E 's/.*peak_rss_mb=([0-9.]+).*/\1/' <<<"$result")
  [ "$(echo "$copy_rps > $best_copy" | bc)" = 1 ] && best_copy=$copy_rps
  [ "$(echo "$sync_rps > $best_sync" | bc)" = 1 ] && best_sync=$sync_rps
  [ "$(echo "$run_rss > $rss" | bc)" = 1 ] && rss=$run_rss
done
printf 'COPY (psql)  : %12.0f rows/s (best of %d)\n' "$best_copy" "$REPEAT"
printf 'Syncline     : %12.0f rows/s (best of %d) over %d connection(s), rowset %d\n' "$best_sync" "$REPEAT" "$PARALLEL" "$ROWSET"
printf 'ratio        : %.2fx COPY\n' "$(echo "$best_sync / $best_copy" | bc -l)"
printf 'paired ratio : %.2fx COPY (median of the runs, each Syncline run against the COPY just before it)\n' \
  "$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')"
printf 'peak RSS     : %s MB (largest of the runs)\n' "$rss"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf 'client CPU   : %.3f s per 1M rows (median)\n' "$(echo "$(median "${cpus[@]}") * 1000000 / $ROWS" | bc -l)"
if [ "$COMPARE" = 1 ]; then
  printf 'ODBC paired  : %.2fx COPY (median, SYNCLINE_PG_COPY=0, same rounds)\n' "$(median "${odbc_ratios[@]}")"
  printf 'ODBC CPU     : %.3f s per 1M rows (median)\n' "$(echo "$(median "${odbc_cpus[@]}") * 1000000 / $ROWS" | bc -l)"
fi
