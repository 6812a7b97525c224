#pragma once
// Turns model rows into destination payloads: column -> field, constants, mustache templates
// and casts, compiled once per run and checked against the model's columns and the
// destination object's fields before anything is sent (compile() lists every problem).
// map() is the hot path: no per-field allocation, canonical JSON into the caller's reused
// MappedRow, XXH3 hashes of key and payload.
// Thread: compile() anywhere; a Mapper is used by one thread at a time; copies are cheap
// (they share the compiled program) and independent, so give each worker thread its own copy.

#include "engine/connector/connector.h"
#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/mapping/mappedrow.h"
#include "engine/warehouse/column.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <string_view>
#include <vector>

namespace syncline::engine::warehouse {
class RowBatch;
}

namespace syncline::engine::mapping {

class Mapper
{
public:
    // Checks the sync's match and mapping against the model and the object and compiles them.
    // Fails with code "mapping.invalid" whose message lists every problem, one per line
    // ("column 'emial' -> field 'email': the model has no column 'emial' (did you mean email?)"),
    // and details["problems"] = their count.
    // The payload holds the match field first (from the match column; omitted when the sync has
    // no match), then the mapped fields in mapping order.
    static Result<Mapper> compile(const SyncDef &sync, const std::vector<warehouse::Column> &modelColumns,
        const QStringList &primaryKey, const connector::ObjectSpec &object);

    Mapper(const Mapper &other);
    Mapper &operator=(const Mapper &other);
    Mapper(Mapper &&other) noexcept;
    Mapper &operator=(Mapper &&other) noexcept;
    ~Mapper();

    // Maps row `row` of `batch` (whose columns are the model's columns passed to compile())
    // into `out` (buffers reused: keep one MappedRow per loop). Returns false when the row is
    // invalid, with the reason in `invalidReason` when given: "primary key column id is NULL",
    // "column signup_at: 'abc' is not a date". out.key and out.keyHash are filled whenever the
    // key is valid, even when the payload is not, so callers can show example keys of invalid
    // rows; when the key itself is invalid (a NULL key column) out.key is empty and keyHash 0.
    bool map(const warehouse::RowBatch &batch, int row, MappedRow &out, QString *invalidReason = nullptr);

    // The payload's field names in payload order.
    const QStringList &fields() const;
    const std::vector<warehouse::Column> &columns() const;
    const QStringList &primaryKey() const;
    // True when the match field is the model's one-column primary key, uncast: distinct keys then
    // give distinct match values, so match values cannot collide.
    bool matchIsKey() const;
    // The model columns the payload is made of (column and template fields), ascending: what
    // change detection in the warehouse hashes.
    std::vector<int> readColumns() const;
    // The model column the match field comes from; -1 without a match.
    int matchColumn() const;

    // The hashes map() stores, for callers that hash keys or payloads themselves.
    static std::uint64_t hashKey(std::string_view key);
    static PayloadHash hashPayload(std::string_view payload);

    struct Program;
    struct Scratch;

private:
    Mapper(std::shared_ptr<const Program> program);
    bool mapKey(const warehouse::RowBatch &batch, int row, std::string &key, QString *invalidReason) const;
    std::shared_ptr<const Program> m_program;
    std::unique_ptr<Scratch> m_scratch;
};

} // namespace syncline::engine::mapping
