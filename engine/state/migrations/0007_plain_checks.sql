-- Speed (issue 12): SQLite evaluates a CHECK (x IN ('a', 'b', 'c')) by building a temporary
-- B-tree of the list on every INSERT and UPDATE, so accepting a row into the ledger opened and
-- closed two of them (a third of the ledger's commit CPU), and every plan row one. The same
-- checks written as comparisons cost nothing. The tables are rebuilt with the same columns, keys
-- and rows; the view over plan_rows is recreated around the rebuild.

DROP VIEW in_flight_keys;

CREATE TABLE ledger_v7 (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,                -- XXH3-64 of key, as a signed 64-bit integer
    key TEXT NOT NULL,                        -- canonical key text
    payload_hash BLOB,                        -- XXH3-128 of the payload; NULL = not delivered (yet / any more)
    payload_id INTEGER,                       -- payloads row last accepted; NULL = none ever
    destination_id TEXT,                      -- the destination's record id, when it has one
    status TEXT NOT NULL CHECK (status = 'delivered' OR status = 'rejected' OR status = 'cleared'
                                OR status = 'pending'),
    attempts INTEGER NOT NULL DEFAULT 0,      -- deliveries tried since the last acceptance
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    source_hash BLOB,                         -- see 0006_change_detection.sql
    PRIMARY KEY (sync_id, key_hash, key)
) WITHOUT ROWID;
INSERT INTO ledger_v7 (sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, last_error,
                       updated_at, source_hash)
    SELECT sync_id, key_hash, key, payload_hash, payload_id, destination_id, status, attempts, last_error, updated_at,
           source_hash
    FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_v7 RENAME TO ledger;

CREATE TABLE plan_rows_v7 (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op = 'add' OR op = 'change' OR op = 'remove' OR op = 'unchanged'),
    action TEXT,                              -- connector operation; NULL = not sent in this mode
    key TEXT NOT NULL,
    key_hash INTEGER NOT NULL,
    payload_id INTEGER,                       -- payloads row: after (NULL for remove)
    payload_hash BLOB,
    before_payload_id INTEGER,                -- payloads row: the ledger's last accepted payload, if any
    destination_id TEXT,                      -- the ledger's record id for the key, when known
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;
INSERT INTO plan_rows_v7 (plan_id, seq, op, action, key, key_hash, payload_id, payload_hash, before_payload_id,
                          destination_id)
    SELECT plan_id, seq, op, action, key, key_hash, payload_id, payload_hash, before_payload_id, destination_id
    FROM plan_rows;
DROP TABLE plan_rows;
ALTER TABLE plan_rows_v7 RENAME TO plan_rows;

-- The keys the batches in flight are sending (rows the mode does not send are not in flight).
CREATE VIEW in_flight_keys AS
    SELECT r.sync_id, b.run_id, p.key_hash, p.key
    FROM in_flight_batches b
    JOIN runs r ON r.id = b.run_id
    JOIN plan_rows p ON p.plan_id = b.plan_id AND p.seq BETWEEN b.first_seq AND b.last_seq
    WHERE p.action IS NOT NULL;
