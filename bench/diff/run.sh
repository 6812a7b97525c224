#!/usr/bin/env bash
# The diff benchmark (not a test): a contacts model in a throwaway PostgreSQL, a first sync,
# the generator's mutation step (5% changed, 1% added, 1% removed), a second sync; each phase's
# time and peak RSS, extraction alone as the baseline, and the hand-written peer
# (../shared/bench/peers/sync.py) on the same data in the same run. Both send to the same local
# HTTP sink (../shared/bench/peers/sink.py): Syncline through its `http` destination (bare JSON
# arrays of 100 rows, DELETE per removed key, one request in flight like the peer), so the ratios
# compare equal work. After each Syncline run the sink's /stats must show exactly the plan's rows,
# no duplicates, and the model's row count.
# Usage: bench/diff/run.sh [--rows N] [--skip-peer] [--mode MODE]... [--link MBIT:RTT_MS]   (default 1,000,000 rows)
#   --skip-peer: Syncline only (the peer takes about 10 minutes at 10M rows)
#   --mode: local, warehouse_hash or warehouse (change detection; repeatable; default: all three). Each mode starts from a freshly loaded model and an empty workspace; the
#   peer runs once, in the first mode's round, on the same data and mutation.
#   --link: Syncline and the peer reach PostgreSQL through bench/diff/linkproxy.py, a link of that
#   many Mbit/s each way and that round trip (e.g. 100:20 for Wi-Fi to a cloud warehouse); loading
#   and mutating the model stay direct. Loopback hides what moving rows costs; this shows it.
# Goals: second run <= 1.5x extraction alone in local, <= 0.5x in the warehouse modes; peak RSS
# < 256 MB; >= 10x faster than the peer in the warehouse modes.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=1000000
SKIP_PEER=
LINK=
MODES=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --skip-peer) SKIP_PEER=1; shift ;;
    --mode) MODES+=("$2"); shift 2 ;;
    --link) LINK=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--skip-peer] [--mode local|warehouse_hash|warehouse]... [--link MBIT:RTT_MS]" >&2; exit 2 ;;
  esac
done
[[ ${#MODES[@]} -gt 0 ]] || MODES=(local warehouse_hash warehouse)
SHARED=../shared/bench
if [[ ! -f $SHARED/contacts.sql ]]; then
  echo "bench/diff: ../shared/bench is not available; nothing to measure"
  exit 0
fi
BUILD=${SYNCLINE_BUILD_DIR:-build}
cmake --build "$BUILD" --target bench_diff -j2 >/dev/null
BENCH=$BUILD/bench/diff/bench_diff
PY=/usr/bin/python3

# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
WORK=$(mktemp -d /tmp/syncline-bench.XXXXXX)
# About 1 KB a row for the model, the state table and the workspace (160-180 B/row after two runs);
# at 10M rows that is 10 GB: refuse early rather than fail an hour in.
NEED_MB=$(( ROWS / 1000 ))
FREE_MB=$(df -Pm /tmp | awk 'NR == 2 {print $4}')
if (( FREE_MB < NEED_MB )); then
  echo "bench/diff: $ROWS rows need about $NEED_MB MB in /tmp, $FREE_MB MB are free" >&2
  rmdir "$WORK"; exit 1
fi
SINK_PID=
LINK_PID=
SINK_FAILED=
cleanup() {
  [[ -n $SINK_PID ]] && kill "$SINK_PID" 2>/dev/null || true
  [[ -n $LINK_PID ]] && kill "$LINK_PID" 2>/dev/null || true
  services_stop_all
  rm -rf "$WORK"
}
trap cleanup EXIT
services_start_postgres >/dev/null

# The workspace stores the connection without its password; the engine reads it from the environment.
CONN=$(sed -E 's/;?Pwd=[^;]*//' <<<"$SYNCLINE_TEST_PG_ODBC")
CLIENT_PORT=$PGPORT
if [[ -n $LINK ]]; then
  if [[ ! $LINK =~ ^[0-9.]+:[0-9.]+$ ]]; then echo "bench/diff: --link wants MBIT:RTT_MS, e.g. 100:20; got '$LINK'" >&2; exit 2; fi
  CLIENT_PORT=$(free_port 25432)
  $PY bench/diff/linkproxy.py --listen "$CLIENT_PORT" --upstream "127.0.0.1:$PGPORT" --mbit "${LINK%%:*}" --rtt-ms "${LINK##*:}" &
  LINK_PID=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$CLIENT_PORT") 2>/dev/null && break; sleep 0.1; done
  CONN=$(sed -E "s/Port=$PGPORT/Port=$CLIENT_PORT/" <<<"$CONN")
  echo "== bench/diff: Syncline and the peer reach PostgreSQL over a ${LINK%%:*} Mbit/s link with a ${LINK##*:} ms round trip"
fi
step() { "$BENCH" --workspace "$WORK/bench.syncline" --connection "$CONN" --step "$1" --endpoint "$SINK/batch" --mode "$MODE"; }
workspace_mb() { du -cm "$WORK"/bench.syncline* | tail -1 | cut -f1; }

SINK_PORT=$(free_port 18080)
$PY $SHARED/peers/sink.py --port "$SINK_PORT" >/dev/null 2>&1 &
SINK_PID=$!
SINK=http://127.0.0.1:$SINK_PORT
for _ in $(seq 50); do curl -sf "$SINK/stats" >/dev/null && break; sleep 0.1; done
sink_post() { curl -sf -X POST "$SINK/$1" >/dev/null; }
# Checks the sink after a Syncline run: every planned row arrived once, and the sink holds the model.
sink_check() {
  $PY - "$1" "$(curl -sf "$SINK/stats")" "$(psql -Atc 'select count(*) from contacts')" <<'PYEOF'
import json, sys
run, stats, model_rows = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
r = stats["run"]
problems = []
if run.get("status") != "succeeded": problems.append(f"run status {run.get('status')}: {run.get('error', '')}")
if r["upserts"] != run["added"] + run["changed"]: problems.append(f"sink got {r['upserts']} upserts, plan had {run['added'] + run['changed']}")
if r["deletes"] != run["removed"]: problems.append(f"sink got {r['deletes']} deletes, plan had {run['removed']}")
if r["duplicates"]: problems.append(f"{r['duplicates']} rows sent twice")
if stats["rows"] != model_rows: problems.append(f"sink holds {stats['rows']} rows, the model has {model_rows}")
print("  sink check: " + ("ok, " if not problems else "FAILED: " + "; ".join(problems) + "; ")
      + f"{r['requests']} requests, {r['upserts']} upserts, {r['deletes']} deletes, {stats['rows']} rows held")
sys.exit(1 if problems else 0)
PYEOF
}
PEER=($PY $SHARED/peers/sync.py --dsn "host=$PGHOST port=$CLIENT_PORT dbname=$PGDATABASE user=$PGUSER password=$PGPASSWORD"
      --model "select * from contacts" --pk id --state "$WORK/peer.sqlite" --endpoint "http://127.0.0.1:$SINK_PORT/batch")
# Prints {"total_ms":..,"peak_rss_mb":..} for a peer invocation.
peer() {
  if [[ -n $SKIP_PEER ]]; then echo '{"total_ms": 0, "peak_rss_mb": 0}'; return; fi
  /usr/bin/time -f '{"total_ms": %e, "peak_rss_kb": %M}' -o "$WORK/peer.time" "${PEER[@]}" "$@" >/dev/null 2>&1
  $PY -c 'import json,sys; t=json.load(open(sys.argv[1])); print(json.dumps({"total_ms": int(t["total_ms"]*1000), "peak_rss_mb": t["peak_rss_kb"]//1024}))' "$WORK/peer.time"
}

PEER_FIRST=; PEER_PLAN2=; PEER_SECOND=
declare -A DIGESTS=()
for MODE in "${MODES[@]}"; do
rm -f "$WORK"/bench.syncline* "$WORK/peer.sqlite"
psql -q -v rows="$ROWS" -f $SHARED/contacts.sql >/dev/null
echo "== bench/diff: $ROWS contacts in PostgreSQL $(psql -Atc 'show server_version'), change_detection $MODE"
EXTRACT=$(step extract);          echo "extract alone        $EXTRACT"
sink_post reset-all
if ! FIRST=$(step run); then echo "syncline first run failed in mode $MODE"; continue; fi
echo "syncline first run   $FIRST"
sink_check "$FIRST" || SINK_FAILED=1
[[ -n $PEER_FIRST ]] || { PEER_FIRST=$(peer); echo "peer first run       $PEER_FIRST"; }
psql -q -f $SHARED/contacts_mutate.sql >/dev/null
EXTRACT2=$(step extract);         echo "extract alone (2)    $EXTRACT2"
PLAN2=$(step plan);               echo "syncline plan only   $PLAN2"
DIGESTS[$MODE]=$($PY -c 'import json,sys; print(json.loads(sys.argv[1]).get("plan_digest", "none"))' "$PLAN2")
[[ -n $PEER_PLAN2 ]] || { PEER_PLAN2=$(peer --dry-run); echo "peer plan only       $PEER_PLAN2"; }
sink_post reset-run
SECOND=$(step run);               echo "syncline second run  $SECOND"
sink_check "$SECOND" || SINK_FAILED=1
[[ -n $PEER_SECOND ]] || { PEER_SECOND=$(peer); echo "peer second run      $PEER_SECOND"; }
WORKSPACE_MB=$(workspace_mb)

$PY - "$MODE" "$WORKSPACE_MB" "$EXTRACT2" "$FIRST" "$PLAN2" "$SECOND" "$PEER_FIRST" "$PEER_PLAN2" "$PEER_SECOND" <<'PYEOF'
import json, sys
mode, workspace_mb = sys.argv[1], int(sys.argv[2])
extract, first, plan, second, peer_first, peer_plan, peer_second = (json.loads(a) for a in sys.argv[3:])
def s(ms): return f"{ms/1000:.1f} s"
def ratio(a, b): return f"{a/b:.1f}x" if a and b else "n/a (--skip-peer)"
goal_extract = "0.5x" if mode != "local" else "1.5x"
delivered = first["added"] + second["added"] - second["removed"]
print()
print(f"[{mode}] first run {s(first['total_ms'])}, plan only {s(plan['total_ms'])}, second run {s(second['total_ms'])}")
print(f"[{mode}] second plan digest (rows to apply : order-free XXH3 of op, key, payload): {plan.get('plan_digest', 'n/a')}")
print(f"[{mode}] second run: extract {s(second['extract_ms'])}, map+diff {s(second['map_diff_ms'])}, "
      f"deliver {s(second['deliver_ms'])}, commit {s(second['commit_ms'])}; "
      f"sent {second['sent']:,} ({second['changed']:,} changed, {second['added']:,} added, {second['removed']:,} removed)"
      + (f"; hashed {int(second.get('hash_rows', 0)):,} keys, fetched {int(second.get('fetched_rows', 0)):,} rows"
         if 'hash_rows' in second else "")
      + (f"; {int(second.get('returned_rows', 0)):,} rows left the warehouse, state table {s(second.get('state_table_ms', 0))}"
         if 'returned_rows' in second else ""))
print(f"[{mode}] second run / extraction alone:  {second['total_ms']/extract['extract_ms']:.2f}x  (goal <= {goal_extract}); "
      f"first run / extraction: {first['total_ms']/extract['extract_ms']:.2f}x")
print(f"[{mode}] peak RSS: first {first['peak_rss_mb']} MB, plan {plan['peak_rss_mb']} MB, second {second['peak_rss_mb']} MB "
      f"(goal < 256 MB); peer {peer_second['peak_rss_mb']} MB")
print(f"[{mode}] workspace after two runs: {workspace_mb} MB, {workspace_mb * 1048576 / max(1, delivered):.0f} bytes per delivered row "
      f"(goal <= 200)")
print(f"[{mode}] peer / syncline, first run:      {ratio(peer_first['total_ms'], first['total_ms'])}  (goal >= 2x)")
print(f"[{mode}] peer / syncline, plan only:      {ratio(peer_plan['total_ms'], plan['total_ms'])}  (peer --dry-run)")
print(f"[{mode}] peer / syncline, second run:     {ratio(peer_second['total_ms'], second['total_ms'])}  (goal >= 10x)")
print(f"[{mode}] peer second run / syncline extraction alone: {ratio(peer_second['total_ms'], extract['extract_ms'])}")
print()
PYEOF
done
# The modes must plan the same rows on the same data and mutation.
if [[ ${#DIGESTS[@]} -gt 1 ]]; then
  if [[ $(printf '%s\n' "${DIGESTS[@]}" | sort -u | wc -l) -eq 1 ]]; then
    echo "bench/diff: the second plans of ${!DIGESTS[*]} are identical (digest ${DIGESTS[${MODES[0]}]})"
  else
    for m in "${!DIGESTS[@]}"; do echo "  $m: ${DIGESTS[$m]}"; done
    echo "bench/diff: the modes' second plans DIFFER" >&2
    SINK_FAILED=1
  fi
fi
if [[ -n $SINK_FAILED ]]; then
  echo "bench/diff: the sink does not hold what Syncline planned to send (see the sink checks above)" >&2
  exit 1
fi
