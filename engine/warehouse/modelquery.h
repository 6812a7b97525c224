#pragma once
// Opens the cursor that reads a model's rows: for a PostgreSQL source whose connection string
// translates to libpq (pgconninfo.h), a PgCopyCursor (COPY, parsed by Syncline) with the
// columns of the ODBC describe; otherwise, and when SYNCLINE_PG_COPY=0 or a column type is not
// one the COPY reader is checked against, the ODBC cursor of `connection`.
// Thread: as OdbcConnection (one thread at a time); the cursor must not outlive `connection`.

#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/querycursor.h"

namespace syncline::engine::warehouse {

// False when SYNCLINE_PG_COPY=0 (compare with, or fall back to, psqlODBC).
bool pgCopyEnabled();

// Type names (as psqlODBC describes them) whose COPY text the reader turns into exactly the
// ODBC cursor's cells; tests/warehouse/tst_pgcopycursor compares the two.
bool pgCopyReadsType(const QString &typeName);

Result<std::unique_ptr<QueryCursor>> openModelQuery(OdbcConnection &connection, const ConnectionSpec &spec,
                                                    const QString &sql, const QueryOptions &options);

} // namespace syncline::engine::warehouse
