-- A smaller workspace (issue 12: at most 200 bytes per delivered row after two runs).
-- 1. The ledger's status becomes a small integer (engine/state/ledgerstatus.h maps it to the
--    word users see): 0 delivered, 1 rejected, 2 cleared, 3 pending. SQLite stores 0 and 1 in
--    the record header alone, so a delivered row no longer spends 10 bytes on the word.
-- 2. The source hash (change detection warehouse_hash, see 0006) is stored once per row that
--    needs it: a plan row carries the hash of the row its payload was mapped from, and accepting
--    the plan row moves it into the ledger, so the ledger's source hash still always describes
--    the delivered payload. Payloads no longer carry it: they live as long as the ledger points
--    at them, so a copy there cost 17 bytes per delivered key for nothing.
-- 3. A run row's outcome (one row per key sent, for the kept runs) becomes 0 accepted, 1 rejected
--    instead of the word (8 bytes a row), checked by comparisons rather than an IN list (see 0007).
-- Rows, keys and statuses are kept; open plans keep their payloads' source hashes.

ALTER TABLE plan_rows ADD COLUMN source_hash BLOB;   -- the source hash of the row payload_id was mapped from
UPDATE plan_rows SET source_hash = (SELECT p.source_hash FROM payloads p WHERE p.id = plan_rows.payload_id)
    WHERE payload_id IS NOT NULL;
ALTER TABLE payloads DROP COLUMN source_hash;

CREATE TABLE ledger_v9 (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,                -- XXH3-64 of key, as a signed 64-bit integer
    key TEXT NOT NULL,                        -- canonical key text
    payload_hash BLOB,                        -- XXH3-128 of the payload; NULL = not delivered (yet / any more)
    payload_id INTEGER,                       -- payloads row last accepted; NULL = none ever
    destination_id TEXT,                      -- the destination's record id, when it has one
    status INTEGER NOT NULL CHECK (status >= 0 AND status <= 3), -- see engine/state/ledgerstatus.h
    attempts INTEGER NOT NULL DEFAULT 0,      -- deliveries tried since the last acceptance
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    source_hash BLOB,                         -- see 0006_change_detection.sql; describes payload_id
    PRIMARY KEY (sync_id, key_hash, key)
) WITHOUT ROWID;
INSERT INTO ledger_v9 (sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, last_error,
                       updated_at, source_hash)
    SELECT sync_id, key_hash, key, payload_hash, payload_id, destination_id,
           CASE status WHEN 'delivered' THEN 0 WHEN 'rejected' THEN 1 WHEN 'cleared' THEN 2 ELSE 3 END,
           attempts, last_error, updated_at, source_hash
    FROM ledger ORDER BY sync_id, key_hash, key;
DROP TABLE ledger;
ALTER TABLE ledger_v9 RENAME TO ledger;

CREATE TABLE run_rows_v9 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,                     -- the plan row's seq
    op TEXT NOT NULL,                         -- the operation sent: upsert, update, insert, delete, clear
    rejected INTEGER NOT NULL CHECK (rejected = 0 OR rejected = 1), -- 0: accepted, 1: rejected
    error TEXT,
    destination_id TEXT,
    PRIMARY KEY (run_id, key_hash, key)
) WITHOUT ROWID;
INSERT INTO run_rows_v9 (run_id, key_hash, key, seq, op, rejected, error, destination_id)
    SELECT run_id, key_hash, key, seq, op, CASE WHEN outcome = 'rejected' THEN 1 ELSE 0 END, error, destination_id
    FROM run_rows ORDER BY run_id, key_hash, key;
DROP TABLE run_rows;
ALTER TABLE run_rows_v9 RENAME TO run_rows;
