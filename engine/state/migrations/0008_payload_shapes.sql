-- Compact payloads (issue 12, workspace size): a payload's field names are stored once per
-- shape here, and new payloads hold only their values (a BLOB, see engine/state/payloadcodec.h).
-- Once a plan has written enough payloads of a shape, a trained shape with the same fields
-- and a dictionary of their frequent values, prefixes and suffixes is added, and later payloads
-- use it. Readers go through payload_json(payload), which returns older TEXT payloads
-- unchanged, so the payloads already stored stay as they are and leave with the next garbage
-- collection. A shape is never changed or deleted: payloads of any sync may refer to it.
CREATE TABLE payload_shapes (
    id INTEGER PRIMARY KEY,
    fields TEXT NOT NULL,                     -- JSON array of the field names, as written in the payloads
    dictionary BLOB                           -- NULL: untrained; else see payloadcodec::train
);
CREATE INDEX payload_shapes_fields ON payload_shapes(fields);
