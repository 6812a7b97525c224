#pragma once
// How a model is split over several connections for parallel extraction: one query per
// connection, each the model wrapped with a filter on its key, together returning every row of
// the model exactly once (rows with NULL keys included, in the first part). A single integer key
// is split into ranges of equal width between its minimum and maximum (the first and last parts
// are open-ended, so rows added meanwhile still land in one part); any other key by a hash of
// the key's text (PostgreSQL hashtext, MariaDB CRC32). Every row of one key goes to one part,
// so the parts together read each key once even though each connection reads its own snapshot.
// Pure functions of their arguments (planSplit runs two small queries): any thread.

#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/sourcehashsql.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace syncline::engine::warehouse {

struct KeySplit
{
    enum class Method { None, Range, Hash };
    Method method = Method::None;
    std::vector<QString> queries; // one per connection; one (the model as is) when not split
    QString description;          // e.g. "4 ranges of id", for timings and messages
};

// Largest number of connections a model may be read over.
inline constexpr int kMaxExtractConnections = 16;

// The N filters of a range split of integer column `key` over [low, high].
std::vector<QString> rangeSplitQueries(SqlDialect dialect, const QString &modelSql, const QString &key, qint64 low,
                                       qint64 high, int parts);
// The N filters of a hash split over `keys`; none when the dialect has no usable hash function.
std::optional<std::vector<QString>> hashSplitQueries(SqlDialect dialect, const QString &modelSql,
                                                     const QStringList &keys, int parts);

// Decides the split of `modelSql` (key `primaryKey`) into `parts` queries on `connection`: the
// model's columns (a query that returns no rows), then for a single integer key its min and max.
// A dialect with no split (SQLite, unknown drivers) or parts <= 1 gives Method::None.
Result<KeySplit> planSplit(OdbcConnection &connection, const QString &modelSql, const QStringList &primaryKey,
                           int parts, const QueryOptions &options = {});

} // namespace syncline::engine::warehouse
