#pragma once
// One workspace connection's payload shapes (see payloadcodec.h): stores a payload in its compact
// form, adding its shape to the payload_shapes table the first time, and a trained shape once
// it has seen TrainingSamples payloads of an untrained one; gives SQL readers the
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
#include <vector>

struct sqlite3;

namespace syncline::engine::state {

class PayloadShapes
{
public:
    static constexpr size_t TrainingSamples = 1024;
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
    // The shape new payloads with these fields use: the newest trained one, else the untrained one.
    Result<std::int64_t> idFor(const payloadcodec::Shape &shape);
    Result<std::int64_t> insert(const std::string &fields, const std::string &dictionary);
    Result<void> sample(std::string_view json);

    sqlite3 *m_db;
    std::unordered_map<std::int64_t, std::shared_ptr<const payloadcodec::Shape>> m_byId;
    std::unordered_map<std::string, std::int64_t> m_byFields; // fields -> idFor()
    std::shared_ptr<const payloadcodec::Shape> m_last; // the shape the last payload had
    std::int64_t m_lastId = 0;
    std::vector<std::string> m_samples; // payloads of m_last while it is untrained
};

} // namespace syncline::engine::state
