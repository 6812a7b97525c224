#pragma once
// One workspace connection's payload shapes (see payloadcodec.h): stores a payload in its compact
// form, adding its shape to the payload_shapes table the first time, and gives SQL readers the
// function payload_json(payload) that turns either stored form (compact BLOB or older plain
// TEXT) back into the exact canonical JSON. Shapes are never changed or deleted once committed;
// what a rolled-back transaction added is forgotten (forget()). Thread: the connection's.

#include "engine/core/error.h"
#include "engine/state/payloadcodec.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;

namespace syncline::engine::state {

class PayloadShapes
{
public:
    explicit PayloadShapes(sqlite3 *db);
    PayloadShapes(const PayloadShapes &) = delete;
    PayloadShapes &operator=(const PayloadShapes &) = delete;

    // Registers payload_json() on the connection and a rollback hook that calls forget().
    Result<void> install();
    // The stored form of `json` appended to `out`: true for the compact form (store it as a
    // BLOB), false when `json` is kept as it is (store it as TEXT). Needs a write transaction
    // the first time a shape is seen.
    Result<bool> encode(std::string_view json, std::string &out);
    // Appends the canonical JSON of a compact payload to `json`.
    Result<void> decode(std::string_view blob, std::string &json);
    // Drops every cached shape; call after a rollback (the hook does, savepoints must).
    void forget();

private:
    Result<std::shared_ptr<const payloadcodec::Shape>> shape(std::int64_t id);
    Result<std::int64_t> idFor(const payloadcodec::Shape &shape);

    sqlite3 *m_db;
    std::unordered_map<std::int64_t, std::shared_ptr<const payloadcodec::Shape>> m_byId;
    std::unordered_map<std::string, std::int64_t> m_byFields;
    std::shared_ptr<const payloadcodec::Shape> m_last; // the shape the last payload had
    std::int64_t m_lastId = 0;
    std::string m_scratch;
};

} // namespace syncline::engine::state
