#!/usr/bin/env bash
# The delivery benchmark (not a test): the http destination sends a model to a local fake API
# (tests/fakes' syncline-fakeapi) that allows R requests per second (a 1-second window, then 429
# with Retry-After and RateLimit-* headers) and answers each request after 200 ms. The sync is
# configured as a user would for that API: rate_limit R/s, batch_size 100.
# Prints achieved rows/s ÷ (R × 100) and the share of requests answered 429.
# Usage: bench/deliver/run.sh [--rate R] [--latency-ms MS] [--batch N] [--seconds S] [--concurrency N]
#   defaults: R 20, 200 ms, batches of 100, a model of R × 100 × 20 rows (20 s of delivery), 8 in flight
# Goals: ratio >= 0.95, 429s <= 1%.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=20 LATENCY=200 BATCH=100 SECS=20 CONCURRENCY=8
while [[ $# -gt 0 ]]; do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    --latency-ms) LATENCY=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    *) echo "usage: $0 [--rate R] [--latency-ms MS] [--batch N] [--seconds S] [--concurrency N]" >&2; exit 2 ;;
  esac
done
BUILD=${SYNCLINE_BUILD_DIR:-build}
if ! cmake --build "$BUILD" --target bench_deliver syncline-fakeapi -j2 >/dev/null; then
  echo "bench/deliver: cannot build bench_deliver and syncline-fakeapi (the fake needs SYNCLINE_BUILD_TESTS=ON)" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/syncline-deliver.XXXXXX)
FAKE_PID=
cleanup() {
  [[ -n $FAKE_PID ]] && kill "$FAKE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$BUILD/tests/fakes/syncline-fakeapi" --rate "$RATE" --latency-ms "$LATENCY" >"$WORK/fake.out" 2>&1 &
FAKE_PID=$!
for _ in $(seq 50); do grep -q '^port ' "$WORK/fake.out" && break; sleep 0.1; done
PORT=$(awk '/^port /{print $2}' "$WORK/fake.out")
[[ -n $PORT ]] || { echo "bench/deliver: the fake API did not start: $(cat "$WORK/fake.out")" >&2; exit 1; }

ROWS=$((RATE * BATCH * SECS))
echo "== bench/deliver: $ROWS rows, API allows $RATE requests/s, ${LATENCY} ms per reply, batches of $BATCH, $CONCURRENCY in flight"
RESULT=$("$BUILD/bench/deliver/bench_deliver" --url "http://127.0.0.1:$PORT/people" --dir "$WORK" --rows "$ROWS" \
           --batch "$BATCH" --rate "$RATE/s" --concurrency "$CONCURRENCY") || { echo "bench_deliver failed: $RESULT" >&2; exit 1; }
echo "syncline  $RESULT"
/usr/bin/python3 - "$RESULT" "http://127.0.0.1:$PORT/_fake/stats" "$RATE" "$BATCH" <<'PYEOF'
import json, sys, urllib.request
run = json.loads(sys.argv[1]); stats = json.load(urllib.request.urlopen(sys.argv[2]))
rate, batch = int(sys.argv[3]), int(sys.argv[4])
print(f"fake API  requests {stats['requests']}, statuses {stats['statuses']}, records {stats['records']}, duplicates {stats['duplicates']}")
ceiling = rate * batch
ratio = run["rows_per_s"] / ceiling
share429 = stats["statuses"].get("429", 0) / max(1, stats["requests"])
print(f"\nachieved {run['rows_per_s']:.0f} rows/s over {run['deliver_ms']/1000:.1f} s of delivery; "
      f"the API allows {ceiling} rows/s ({rate} requests/s x {batch})")
print(f"achieved / allowed:   {ratio:.3f}  (goal >= 0.95)")
print(f"requests answered 429: {100*share429:.2f}%  (goal <= 1%)")
ok = stats["records"] == run["rows"] and run["accepted"] == run["rows"]
print("the API holds every row" if ok else f"MISMATCH: the API holds {stats['records']} records of {run['rows']}")
sys.exit(0 if ok else 1)
PYEOF
