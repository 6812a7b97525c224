#pragma once
// The ODBC implementation of QueryCursor: column-wise block fetch into typed buffers owned by
// the RowBatch, values longer than the bound cell re-read whole with SQLGetData, cancellation
// by SQLCancel from any thread. Must not outlive the OdbcConnection that created it.

#include "engine/core/cancellation.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/odbcdiagnostics.h"
#include "engine/warehouse/odbchandle.h"
#include "engine/warehouse/querycursor.h"
#include "engine/warehouse/rowbatchstorage.h"

#include <atomic>
#include <functional>
#include <mutex>

namespace syncline::engine::warehouse {

// The kind a column's values take, from its ODBC SQL type and the driver's type name.
ColumnKind columnKindFor(const Column &column, DriverFamily family, bool isUnsigned);

// What a cursor needs to know about its connection's driver.
struct CursorTraits
{
    DriverFamily family = DriverFamily::Unknown;
    // SQL_GD_BLOCK and SQL_GD_BOUND: a truncated cell of a block can be re-read with
    // SQLSetPos + SQLGetData. Without them the cursor fetches one row at a time.
    bool blockGetData = false;
    // SQL_C_CHAR when the driver hands out UTF-8 as is; SQL_C_WCHAR (UTF-16) otherwise.
    SQLSMALLINT textCType = SQL_C_WCHAR;
    // Pass SQL text as UTF-8 to the narrow API: SQLite3 ODBC's W functions mangle characters
    // outside the BMP (emoji) in the statement text.
    bool narrowSql = false;
    // Cancels the running statement on the server from another connection, for drivers whose
    // SQLCancel only works during SQLExecDirect (psqlODBC ignores it during a cursor FETCH).
    std::function<void()> serverCancel;
    // Rows the driver reads from the server at a time (psqlODBC Fetch=), 0 when unknown. The
    // rowset is rounded to a divisor of it: otherwise psqlODBC issues an extra short FETCH to
    // fill every rowset that straddles two of its reads.
    int driverFetchSize = 0;
    OdbcErrorContext errors;
};

// Runs `sql` on `statement` with the W or narrow API as the traits ask.
SQLRETURN executeDirect(SQLHSTMT statement, const QString &sql, const CursorTraits &traits);

class OdbcQueryCursor final : public QueryCursor
{
public:
    // Largest bound cell for a text or binary value; longer values are fetched with SQLGetData.
    static constexpr SQLLEN kCellCapBytes = 1024;

    static Result<std::unique_ptr<QueryCursor>> execute(SQLHDBC connection, const QString &sql,
                                                        const QueryOptions &options, const CursorTraits &traits);
    ~OdbcQueryCursor() override;

    const std::vector<Column> &columns() const override { return m_columns; }
    Result<bool> fetch(RowBatch &batch) override;
    void cancel() override;
    qint64 rowsFetched() const override { return m_total; }

private:
    struct CancelTarget
    {
        std::mutex mutex; // held while cancelling, so the statement outlives a cancel in flight
        SQLHSTMT statement = nullptr;
        std::atomic_bool requested{false};
        std::atomic_bool fetching{false}; // inside SQLFetch: the server may be working for us
        std::function<void()> serverCancel;
        void cancel();
    };

    OdbcQueryCursor(OdbcHandle statement, std::shared_ptr<CancelTarget> target, const QueryOptions &options,
                    const CursorTraits &traits);
    Result<void> describeColumns();
    void prepareLayout(RowBatch::Storage &storage) const;
    Result<int> fetchBlock(RowBatch::Storage &storage);
    Result<int> fetchRowByRow(RowBatch::Storage &storage);
    Result<void> readLongCells(RowBatch::Storage &storage, int rows);
    Result<void> readLongValue(ColumnBuffer &buffer, int column, int row);
    void finishCells(RowBatch::Storage &storage, int rows) const;
    Error failure(OdbcStep step) const;
    void close();

    OdbcHandle m_statement;
    std::shared_ptr<CancelTarget> m_cancel;
    CancellationToken m_token;
    CancellationToken::Registration m_registration;
    CursorTraits m_traits;
    std::vector<Column> m_columns;
    std::vector<ColumnBuffer> m_plan; // kinds, C types and widths; copied into each batch's storage
    int m_rowsetSize = 4096;
    std::optional<qint64> m_limit;
    SQLULEN m_rowsFetchedByDriver = 0;
    qint64 m_total = 0;
    bool m_done = false;
    std::vector<char> m_chunk; // SQLGetData buffer for long values
};

} // namespace syncline::engine::warehouse
