-- Scheduled runs (issue 11): what started each run, the lease that keeps one sync from running
-- twice at once across processes, and the scheduler's memory of attempts that made no run.

-- manual (a person in the app), schedule, cli (syncline-cli run/apply), catch-up (one run for
-- several scheduled times missed while the machine slept). Older runs count as manual.
ALTER TABLE runs ADD COLUMN started_by TEXT NOT NULL DEFAULT 'manual'
    CHECK (started_by IN ('manual', 'schedule', 'cli', 'catch-up'));

-- One row while a process runs, plans or resets the sync. The holder renews expires_at while it
-- works (heartbeat); a lease past expires_at, or held by a process on this host that no longer
-- exists, may be taken over. Deleted by the holder when it is done.
CREATE TABLE sync_leases (
    sync_id INTEGER PRIMARY KEY REFERENCES syncs(id) ON DELETE CASCADE,
    token TEXT NOT NULL,                  -- random per acquisition: only the holder renews or frees it
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,         -- Unix ms
    expires_at INTEGER NOT NULL           -- Unix ms
);

-- Per sync: the last scheduled attempt (even one that made no run: a blocked plan, a refusal),
-- and the backoff after attempts put off because the warehouse or destination was unreachable.
CREATE TABLE schedule_state (
    sync_id INTEGER PRIMARY KEY REFERENCES syncs(id) ON DELETE CASCADE,
    last_attempt_at INTEGER,              -- Unix ms; NULL = never attempted by the scheduler
    next_attempt_at INTEGER,              -- Unix ms; NULL = no backoff
    put_offs INTEGER NOT NULL DEFAULT 0,  -- consecutive attempts put off
    last_error TEXT NOT NULL DEFAULT ''
);
