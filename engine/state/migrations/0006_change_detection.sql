-- Change detection in the warehouse (issue 12). A sync (or its source, for all its syncs) picks
-- where its diff is computed; NULL means the best the source's driver allows.
ALTER TABLE sources ADD COLUMN change_detection TEXT
    CHECK (change_detection IS NULL OR change_detection IN ('local', 'warehouse_hash', 'warehouse'));
ALTER TABLE sources ADD COLUMN planner_schema TEXT NOT NULL DEFAULT '';
ALTER TABLE syncs ADD COLUMN change_detection TEXT
    CHECK (change_detection IS NULL OR change_detection IN ('local', 'warehouse_hash', 'warehouse'));

-- The source hash: what the warehouse computed over the mapped columns of the row a payload was
-- mapped from (16 bytes, salted with the sync's mapping, so a mapping change invalidates it).
-- A payload written by a warehouse_hash plan carries it; accepting that payload copies it into
-- the ledger, so the ledger's source hash always describes the delivered payload. NULL: unknown
-- (local mode, a reset, an older workspace): the key is fetched in full by the next plan.
ALTER TABLE payloads ADD COLUMN source_hash BLOB;
ALTER TABLE ledger ADD COLUMN source_hash BLOB;
