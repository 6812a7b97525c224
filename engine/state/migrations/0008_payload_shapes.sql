-- Compact payloads (issue 12, workspace size): a payload's field names are stored once per
-- shape here, and new payloads hold only their values (a BLOB, see engine/state/payloadcodec.h).
-- Readers go through payload_json(payload), which returns older TEXT payloads unchanged, so the
-- payloads already stored stay as they are and leave with the next garbage collection.
-- A shape is never changed or deleted: payloads of any sync may refer to it.
CREATE TABLE payload_shapes (
    id INTEGER PRIMARY KEY,
    fields TEXT NOT NULL UNIQUE               -- JSON array of the field names, as written in the payloads
);
