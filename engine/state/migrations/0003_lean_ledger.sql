-- Leaner sync state, for speed at millions of rows:
-- 1. Rows in flight are recorded per batch (a seq range of the run's frozen plan), not per row:
--    marking a batch writes one small row instead of rewriting a ledger page per record.
-- 2. Payloads live in one append-only table, written once when a plan is made. A plan row and
--    then, once the destination accepts it, the ledger row point to the same payload, so a
--    payload is never copied; change detection scans narrow ledger rows (about 60 bytes).
-- Rows in flight under schema 2 become plain rows again: nothing is in flight during a migration.

CREATE TABLE in_flight_batches (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    first_seq INTEGER NOT NULL,               -- the batch's plan rows, inclusive
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, first_seq)
) WITHOUT ROWID;

-- Never updated in place: a key whose payload changes points to a new row. Rows no plan and no
-- ledger row points to any more are collected in bulk (LedgerStore::collectGarbage); updating
-- or deleting them one by one would rewrite a page per key, scattered over the whole table.
CREATE TABLE payloads (
    id INTEGER PRIMARY KEY,
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    payload TEXT NOT NULL                     -- canonical JSON
);

-- Payloads written since the last collection: past twice the ledger's size, the next apply collects.
ALTER TABLE sync_state ADD COLUMN payloads_since_collect INTEGER NOT NULL DEFAULT 0;

-- Ledger payloads first (ids 1..n), then each plan row's after and before payloads above them.
CREATE TEMP TABLE migrated_ledger AS
    SELECT row_number() OVER (ORDER BY sync_id, key_hash, key) AS id, sync_id, key_hash, key, payload
    FROM ledger WHERE payload IS NOT NULL AND payload <> '';
INSERT INTO payloads (id, sync_id, payload) SELECT id, sync_id, payload FROM migrated_ledger;
CREATE TEMP TABLE migrated_plans AS
    SELECT r.plan_id, r.seq, p.sync_id, r.payload, r.before_payload,
           (SELECT count(*) FROM migrated_ledger) + 2 * row_number() OVER (ORDER BY r.plan_id, r.seq) - 1 AS after_id,
           (SELECT count(*) FROM migrated_ledger) + 2 * row_number() OVER (ORDER BY r.plan_id, r.seq) AS before_id
    FROM plan_rows r JOIN plans p ON p.id = r.plan_id;
INSERT INTO payloads (id, sync_id, payload)
    SELECT after_id, sync_id, payload FROM migrated_plans WHERE payload IS NOT NULL;
INSERT INTO payloads (id, sync_id, payload)
    SELECT before_id, sync_id, before_payload FROM migrated_plans WHERE before_payload IS NOT NULL;

CREATE TABLE ledger_v3 (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,                -- XXH3-64 of key, as a signed 64-bit integer
    key TEXT NOT NULL,                        -- canonical key text
    payload_hash BLOB,                        -- XXH3-128 of the payload; NULL = not delivered (yet / any more)
    payload_id INTEGER,                       -- payloads row last accepted; NULL = none ever
    destination_id TEXT,                      -- the destination's record id, when it has one
    status TEXT NOT NULL CHECK (status IN ('delivered', 'rejected', 'cleared', 'pending')),
    attempts INTEGER NOT NULL DEFAULT 0,      -- deliveries tried since the last acceptance
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (sync_id, key_hash, key)
) WITHOUT ROWID;
INSERT INTO ledger_v3 (sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, last_error,
                       updated_at)
    SELECT l.sync_id, l.key_hash, l.key, l.payload_hash, m.id, l.destination_id,
           CASE WHEN l.status <> 'in_flight' THEN l.status WHEN l.payload_hash IS NULL THEN 'pending' ELSE 'delivered' END,
           l.attempts,
           CASE WHEN l.status = 'in_flight'
                THEN 'interrupted: the process stopped before the run finished; the next run sends this row again'
                ELSE l.last_error END,
           l.updated_at
    FROM ledger l LEFT JOIN migrated_ledger m ON m.sync_id = l.sync_id AND m.key_hash = l.key_hash AND m.key = l.key;
DROP TABLE ledger;
ALTER TABLE ledger_v3 RENAME TO ledger;

CREATE TABLE plan_rows_v3 (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('add', 'change', 'remove', 'unchanged')),
    action TEXT,                              -- connector operation; NULL = not sent in this mode
    key TEXT NOT NULL,
    key_hash INTEGER NOT NULL,
    payload_id INTEGER,                       -- payloads row: after (NULL for remove)
    payload_hash BLOB,
    before_payload_id INTEGER,                -- payloads row: the ledger's last accepted payload, if any
    destination_id TEXT,                      -- the ledger's record id for the key, when known
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;
INSERT INTO plan_rows_v3 (plan_id, seq, op, action, key, key_hash, payload_id, payload_hash, before_payload_id,
                          destination_id)
    SELECT r.plan_id, r.seq, r.op, r.action, r.key, r.key_hash,
           CASE WHEN r.payload IS NULL THEN NULL ELSE m.after_id END, r.payload_hash,
           CASE WHEN r.before_payload IS NULL THEN NULL ELSE m.before_id END, r.destination_id
    FROM plan_rows r JOIN migrated_plans m ON m.plan_id = r.plan_id AND m.seq = r.seq;
DROP TABLE plan_rows;
ALTER TABLE plan_rows_v3 RENAME TO plan_rows;

DROP TABLE migrated_ledger;
DROP TABLE migrated_plans;

-- The keys the batches in flight are sending (rows the mode does not send are not in flight).
CREATE VIEW in_flight_keys AS
    SELECT r.sync_id, b.run_id, p.key_hash, p.key
    FROM in_flight_batches b
    JOIN runs r ON r.id = b.run_id
    JOIN plan_rows p ON p.plan_id = b.plan_id AND p.seq BETWEEN b.first_seq AND b.last_seq
    WHERE p.action IS NOT NULL;
