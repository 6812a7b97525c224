-- The user's definitions. Row ids are stable across re-saves (upsert by name) because ledgers,
-- plans and runs refer to syncs(id). Secrets are never stored: only a reference (kind + name).
-- JSON text columns hold structured parts (primary key, settings, mapping, guardrails).

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    connection TEXT NOT NULL,
    password_kind TEXT NOT NULL DEFAULT 'none' CHECK (password_kind IN ('none', 'env', 'keychain')),
    password_name TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    sql TEXT NOT NULL,
    primary_key TEXT NOT NULL,                 -- JSON array of column names
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX models_source ON models(source_id);

CREATE TABLE destinations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    type TEXT NOT NULL CHECK (type <> ''),
    settings TEXT NOT NULL DEFAULT '{}',       -- JSON object, connector specific, secret-free
    secrets TEXT NOT NULL DEFAULT '{}',        -- JSON object: key -> {"env": NAME} | {"keychain": NAME}
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE syncs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE RESTRICT,
    destination_id INTEGER NOT NULL REFERENCES destinations(id) ON DELETE RESTRICT,
    object TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL CHECK (mode IN ('upsert', 'update', 'insert', 'mirror', 'all')),
    on_removed TEXT CHECK (on_removed IS NULL OR on_removed IN ('ignore', 'clear', 'delete')),
    match_column TEXT NOT NULL DEFAULT '',
    match_field TEXT NOT NULL DEFAULT '',
    mapping TEXT NOT NULL DEFAULT '[]',        -- JSON array of {column|template|value, field, cast?}
    schedule TEXT NOT NULL DEFAULT '',
    guardrails TEXT NOT NULL DEFAULT '{}',     -- JSON {"max_removed_share": 0.2, "stop_on_empty_model": true}
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX syncs_model ON syncs(model_id);
CREATE INDEX syncs_destination ON syncs(destination_id);
