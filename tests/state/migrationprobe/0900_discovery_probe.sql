-- Embedded only in tst_migrationdiscovery: proves that a migration in another module's .qrc
-- under :/syncline/migrations is found and applied after the engine's own.
CREATE TABLE discovery_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO discovery_probe(note) SELECT 'applied after ' || count(*) || ' definition tables' FROM sqlite_schema
    WHERE type = 'table' AND name IN ('sources', 'models', 'destinations', 'syncs');
