-- The request inspector: the requests and responses of recent runs, as the connector sent and
-- received them, redacted before they were written (engine/state/exchangelog). Every failed
-- exchange is kept and a sample of the successful ones; the oldest runs' exchanges are pruned
-- past a size cap for the whole workspace.

CREATE TABLE run_exchanges (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                     -- 1, 2, ... in the order the run made them (kept or not)
    failed INTEGER NOT NULL DEFAULT 0,        -- 1: an error status, a transport error or a rejected record
    stored_bytes INTEGER NOT NULL,            -- what this row costs, for the workspace's cap
    method TEXT NOT NULL,
    url TEXT NOT NULL,                        -- redacted
    status INTEGER NOT NULL DEFAULT 0,        -- 0: no HTTP status (timeout, reset, cancelled)
    error TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,              -- Unix ms
    duration_ms INTEGER NOT NULL,
    request_headers TEXT NOT NULL DEFAULT '[]',  -- JSON [["Name", "value"], ...], redacted
    request_body BLOB NOT NULL DEFAULT '',       -- redacted, cut to the stored cap
    request_bytes INTEGER NOT NULL DEFAULT 0,    -- size before the cut
    request_truncated INTEGER NOT NULL DEFAULT 0,
    response_headers TEXT NOT NULL DEFAULT '[]',
    response_body BLOB NOT NULL DEFAULT '',
    response_bytes INTEGER NOT NULL DEFAULT 0,
    response_truncated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX run_exchanges_failed ON run_exchanges(run_id, seq) WHERE failed = 1;

-- One row per run that recorded exchanges: how many were made and kept, and their stored size,
-- so the cap is checked without reading the exchanges and `inspect` can say what was sampled.
CREATE TABLE run_exchange_totals (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    recorded INTEGER NOT NULL DEFAULT 0,      -- exchanges the connector reported
    failed INTEGER NOT NULL DEFAULT 0,        -- of which failed
    kept INTEGER NOT NULL DEFAULT 0,          -- rows in run_exchanges
    over_cap INTEGER NOT NULL DEFAULT 0,      -- not kept because the run reached the size cap
    stored_bytes INTEGER NOT NULL DEFAULT 0,
    pruned INTEGER NOT NULL DEFAULT 0         -- 1: its exchanges were deleted to stay within the cap
);
