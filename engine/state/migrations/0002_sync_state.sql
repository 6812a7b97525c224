-- Change tracking and run history: per-sync generation, the ledger of what each destination
-- accepted, frozen plans with their rows, and runs with their per-row outcomes.
-- Times are Unix milliseconds (INTEGER): the ledger and the row tables hold millions of rows.

-- generation counts the applies and resets of a sync; a plan remembers the generation it was
-- made at, and apply refuses a plan whose generation is no longer current.
CREATE TABLE sync_state (
    sync_id INTEGER PRIMARY KEY REFERENCES syncs(id) ON DELETE CASCADE,
    generation INTEGER NOT NULL DEFAULT 0,
    last_change TEXT NOT NULL DEFAULT ''      -- what bumped it: "run 15" or "reset (full resync)"
);

-- Why WITHOUT ROWID clustered on (sync_id, key_hash, key): change detection scans one
-- key_hash range at a time (one partition of the hash join), so the scan reads the table in
-- order instead of hopping from an index into the table once per row. A lookup by key
-- computes key_hash (XXH3-64 of the key) and uses the same primary key.
CREATE TABLE ledger (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    key_hash INTEGER NOT NULL,                -- XXH3-64 of key, as a signed 64-bit integer
    key TEXT NOT NULL,                        -- canonical key text
    payload_hash BLOB,                        -- XXH3-128 of payload; NULL = not delivered (yet / any more)
    payload TEXT,                             -- last accepted canonical JSON payload
    destination_id TEXT,                      -- the destination's record id, when it has one
    status TEXT NOT NULL CHECK (status IN ('delivered', 'rejected', 'in_flight', 'cleared', 'pending')),
    in_flight_run INTEGER,                    -- the run that is sending this row right now
    attempts INTEGER NOT NULL DEFAULT 0,      -- deliveries tried since the last acceptance
    last_error TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (sync_id, key_hash, key)
) WITHOUT ROWID;
CREATE INDEX ledger_in_flight ON ledger(sync_id, in_flight_run) WHERE in_flight_run IS NOT NULL;

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    base_generation INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('building', 'open', 'applied', 'superseded')),
    mode TEXT NOT NULL,
    on_removed TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    invalid INTEGER NOT NULL DEFAULT 0,
    to_send INTEGER NOT NULL DEFAULT 0,
    ledger_delivered INTEGER NOT NULL DEFAULT 0,
    invalid_examples TEXT NOT NULL DEFAULT '[]', -- JSON [{"key": ..., "reason": ...}]
    blocked INTEGER NOT NULL DEFAULT 0,          -- a guardrail stopped it; apply needs --force
    guardrail TEXT NOT NULL DEFAULT '',          -- the guardrail's message when blocked
    timings TEXT NOT NULL DEFAULT '{}'           -- JSON {"extract_ms": .., "map_diff_ms": ..}
);
CREATE INDEX plans_sync ON plans(sync_id, id);

CREATE TABLE plan_rows (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('add', 'change', 'remove', 'unchanged')),
    action TEXT,                              -- connector operation; NULL = not sent in this mode
    key TEXT NOT NULL,
    key_hash INTEGER NOT NULL,
    payload TEXT,                             -- after (NULL for remove)
    payload_hash BLOB,
    before_payload TEXT,                      -- the ledger's payload (change, remove)
    destination_id TEXT,                      -- the ledger's record id for the key, when known
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    plan_id INTEGER REFERENCES plans(id) ON DELETE SET NULL,
    generation INTEGER NOT NULL,              -- the sync's generation this run created
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    planned INTEGER NOT NULL DEFAULT 0,       -- rows the plan asked to send
    sent INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    timings TEXT NOT NULL DEFAULT '{}',       -- JSON: extract_ms, map_diff_ms, deliver_ms, commit_ms
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_sync ON runs(sync_id, id);

CREATE TABLE run_rows (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    key TEXT NOT NULL,
    op TEXT NOT NULL,                         -- the operation sent: upsert, update, insert, delete, clear
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    error TEXT,
    destination_id TEXT,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE INDEX run_rows_key ON run_rows(key);
