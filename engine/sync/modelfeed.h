#pragma once
// The planner's row loop: reads a query's blocks (prefetched on a thread of their own), maps
// each row and adds it to the diff, valid or invalid with its reason. With a source-hash salt,
// the query's last column is the warehouse's source hash (warehouse_hash) and every row is
// added with it. Thread: the caller's; cancellable per block.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/mapping/mappedrow.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace syncline::engine::warehouse {
class OdbcConnection;
class QueryCursor;
struct ConnectionSpec;
struct QueryOptions;
} // namespace syncline::engine::warehouse
namespace syncline::engine::mapping {
class Mapper;
}
namespace syncline::engine::diff {
class DiffPlanner;
}

namespace syncline::engine::sync {

struct FeedStats
{
    qint64 waitNs = 0;  // time the loop waited for a block
    qint64 fetchNs = 0; // time the prefetch thread spent fetching
    qint64 rows = 0;
    std::function<void(qint64 rows)> progress; // optional: told the rows read so far after each block
};

// The source hash kept for a row: XXH3-128 of the sync's salt and the warehouse's hash text, so
// a new mapping (a new salt) makes every stored source hash differ.
mapping::PayloadHash saltedSourceHash(const mapping::PayloadHash &salt, std::string_view warehouseHash);
// The warehouse's own hash (lowercase hex) of a source hash stored under `salt`.
QString warehouseSourceHash(const mapping::PayloadHash &salt, const mapping::PayloadHash &stored);

// Runs the model on `connection` (PostgreSQL: read with COPY, see warehouse/modelquery.h), or split by key over `connections` connections (keysplit.h;
// `connection` reads the first part, the others are opened from `spec`) when more than one is
// asked and the warehouse can split it. `used` is set to the number of connections reading.
Result<std::unique_ptr<warehouse::QueryCursor>> openModelCursor(warehouse::OdbcConnection &connection,
                                                                const warehouse::ConnectionSpec &spec, const QString &modelSql,
                                                                const QStringList &primaryKey, int connections,
                                                                const warehouse::QueryOptions &options, int *used = nullptr);

// `beforeFirst` runs once the prefetcher has started (the ledger index loads meanwhile).
// `onKey` sees the key of every row whose key could be read.
Result<void> feedModelRows(warehouse::QueryCursor &cursor, mapping::Mapper &mapper, diff::DiffPlanner &planner,
                           const std::optional<mapping::PayloadHash> &salt, const CancellationToken &cancellation,
                           FeedStats &stats, const std::function<Result<void>()> &beforeFirst = {},
                           const std::function<void(std::string_view key)> &onKey = {});

} // namespace syncline::engine::sync
