#pragma once
// One open ODBC connection (RAII over the environment and connection handles).
// Thread: use from one thread at a time; cancelling a running query is the one call that
// may come from another thread (QueryCursor::cancel or the CancellationToken).
// Failure: every call returns Result; errors carry SQLSTATE, native code and the driver's
// message, with any password redacted.
// Time zones: open() sets the session time zone to UTC (PostgreSQL SET TIME ZONE 'UTC',
// MariaDB time_zone '+00:00'), so TimestampTz text is the instant in UTC ("...Z"). MariaDB
// TIMESTAMP columns are TimestampTz, DATETIME columns Timestamp. Other drivers: as delivered.
// Cursors must be destroyed before their connection.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "engine/warehouse/querycursor.h"

#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace syncline::engine::warehouse {

struct ConnectionSpec
{
    // Either a DSN name or a full connection string ("Driver={...};Server=...").
    QString connectionString;
    // Kept apart so it can never be echoed back: appended as Pwd=... only when connecting.
    std::optional<QString> password;
    std::chrono::seconds loginTimeout{10};
    // Apply per-driver defaults that make large reads stream (see driverdefaults.h).
    bool applyDriverDefaults = true;

    static ConnectionSpec fromDsn(const QString &dsn);
};

struct QueryOptions
{
    int rowsetSize = 4096;              // rows per block fetch (at least 1,024)
    std::chrono::seconds timeout{0};    // 0 = no query timeout
    std::optional<qint64> limit;        // stop after this many rows
    CancellationToken cancellation;     // cancel() issues SQLCancel and ends the query
};

struct CatalogTable
{
    QString catalog;
    QString schema;
    QString name;
    QString type; // "TABLE", "VIEW", ...
};

class OdbcConnection
{
public:
    static Result<std::unique_ptr<OdbcConnection>> open(const ConnectionSpec &spec);
    ~OdbcConnection();

    QString driverName() const;    // e.g. "psqlodbcw.so"
    QString dbmsName() const;      // e.g. "PostgreSQL"

    // Runs `sql` and returns a cursor that streams its rows in blocks.
    Result<std::unique_ptr<QueryCursor>> execute(const QString &sql, const QueryOptions &options = {});
    // Runs a statement that returns no rows (DDL, INSERT); returns rows affected when known.
    Result<qint64> executeUpdate(const QString &sql);

    Result<std::vector<QString>> schemas();
    Result<std::vector<CatalogTable>> tables(const QString &schema = {});
    Result<std::vector<Column>> columns(const QString &schema, const QString &table);

    // Transactions for writers (odbctransaction.cpp): with autocommit off, statements join one
    // transaction until commit() or rollback().
    Result<void> setAutoCommit(bool on);
    Result<void> commit();
    Result<void> rollback();

    struct Handles;
    friend class OdbcBatchStatement;
private:
    explicit OdbcConnection(std::unique_ptr<Handles> handles);
    std::unique_ptr<Handles> m_handles;
};

} // namespace syncline::engine::warehouse
