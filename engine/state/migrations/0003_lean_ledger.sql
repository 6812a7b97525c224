-- A leaner ledger, for speed at millions of rows:
-- 1. Rows in flight are recorded per batch (a seq range of the run's frozen plan), not per row:
--    marking a batch writes one small row instead of rewriting a ledger page per record.
-- 2. The last accepted payload moves to its own table: change detection scans the ledger
--    (about 60 bytes a row) and reads a payload only for the keys that changed or went away.
--    Rows in flight become plain rows again (see below): nothing is in flight during a migration.

CREATE TABLE in_flight_batches (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    first_seq INTEGER NOT NULL,               -- the batch's plan rows, inclusive
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, first_seq)
) WITHOUT ROWID;

-- Payloads are written once, appended in the order they are accepted, and never updated in
-- place: a key whose payload changes points to a new row and the old one becomes garbage,
-- collected in bulk (LedgerStore::collectGarbage). Updating payloads in place would rewrite a
-- page per changed key, scattered over the whole table.
CREATE TABLE ledger_payloads (
    id INTEGER PRIMARY KEY,
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    payload TEXT NOT NULL                     -- an accepted canonical JSON payload
);

-- Payloads replaced since the last collection: when it passes half the ledger, the next apply collects.
ALTER TABLE sync_state ADD COLUMN payload_garbage INTEGER NOT NULL DEFAULT 0;

CREATE TEMP TABLE migrated_payloads AS
    SELECT row_number() OVER (ORDER BY sync_id, key_hash, key) AS id, sync_id, key_hash, key, payload
    FROM ledger WHERE payload IS NOT NULL AND payload <> '';
INSERT INTO ledger_payloads (id, sync_id, payload) SELECT id, sync_id, payload FROM migrated_payloads;

CREATE TABLE ledger_v3 (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,                -- XXH3-64 of key, as a signed 64-bit integer
    key TEXT NOT NULL,                        -- canonical key text
    payload_hash BLOB,                        -- XXH3-128 of the payload; NULL = not delivered (yet / any more)
    payload_id INTEGER,                       -- ledger_payloads row of the last accepted payload; NULL = none ever
    destination_id TEXT,                      -- the destination's record id, when it has one
    status TEXT NOT NULL CHECK (status IN ('delivered', 'rejected', 'cleared', 'pending')),
    attempts INTEGER NOT NULL DEFAULT 0,      -- deliveries tried since the last acceptance
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (sync_id, key_hash, key)
) WITHOUT ROWID;

-- A row still in flight here belongs to a process that stopped: it goes back to its previous state.
INSERT INTO ledger_v3 (sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, last_error,
                       updated_at)
    SELECT l.sync_id, l.key_hash, l.key, l.payload_hash, m.id, l.destination_id,
           CASE WHEN l.status <> 'in_flight' THEN l.status WHEN l.payload_hash IS NULL THEN 'pending' ELSE 'delivered' END,
           l.attempts,
           CASE WHEN l.status = 'in_flight'
                THEN 'interrupted: the process stopped before the run finished; the next run sends this row again'
                ELSE l.last_error END,
           l.updated_at
    FROM ledger l LEFT JOIN migrated_payloads m ON m.sync_id = l.sync_id AND m.key_hash = l.key_hash AND m.key = l.key;

DROP TABLE migrated_payloads;
DROP TABLE ledger;
ALTER TABLE ledger_v3 RENAME TO ledger;
