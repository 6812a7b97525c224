#pragma once
// How a failed statement on a destination table is handled: a row's fault (a value too long, a
// NOT NULL or unique violation: that row is rejected with the database's message), the
// statement's or table's fault (a missing column, no permission: the batch fails), or a
// transient one (connection lost, deadlock, serialization failure, lock timeout: the batch fails
// as retryable and the runner tries it again). Thread: stateless.

#include "connectors/database/sqldialect.h"
#include "engine/core/error.h"

namespace syncline::connectors::database {

enum class FailureScope { Row, Batch, Transient };

FailureScope failureScope(const SqlDialect &dialect, const engine::Error &error);
// The database's own words, without driver prefixes: "value too long for type character varying(10)".
QString databaseMessage(const engine::Error &error);
// An Error for the whole batch: "<what>: <database's words>", retryable when transient.
engine::Error batchFailure(const SqlDialect &dialect, const engine::Error &error, const QString &what);
// An Error for a catalog step (listing, describing, creating a table).
engine::Error catalogFailure(const engine::Error &error, const QString &what);

} // namespace syncline::connectors::database
