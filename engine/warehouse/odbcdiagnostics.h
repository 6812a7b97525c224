#pragma once
// Turns ODBC diagnostic records into Syncline errors: every record (SQLSTATE, native code,
// driver message) goes into Error::details, and Error::message is one sentence that names the
// common cases (wrong password, host unreachable, driver missing, syntax error, missing table,
// cancelled, timeout). Every text is redacted of the password before it is stored.

#include "engine/core/error.h"

#include <QString>

#include <sql.h>

#include <optional>
#include <vector>

namespace syncline::engine::warehouse {

struct OdbcDiagnostic
{
    QString sqlstate;
    int nativeCode = 0;
    QString message;
};

// Every diagnostic record on `handle` (SQLGetDiagRecW), in order.
std::vector<OdbcDiagnostic> readDiagnostics(SQLSMALLINT handleType, SQLHANDLE handle);

// What was being done when the driver failed; picks the error code family.
enum class OdbcStep { Connect, Execute, Fetch, Catalog, Drivers };

struct OdbcErrorContext
{
    std::optional<QString> password; // redacted from every text
    QString driver;                  // the Driver= value or DSN's driver, for "not installed"
    QString dsn;                     // the DSN= value, if any
    bool cancelled = false;          // a cancel was requested: the failure is the cancel
};

// Classifies `records` into an Error (pure; used by tests with hand-made records).
Error classifyOdbcError(OdbcStep step, const std::vector<OdbcDiagnostic> &records, const OdbcErrorContext &context);
// readDiagnostics + classifyOdbcError.
Error odbcError(OdbcStep step, SQLSMALLINT handleType, SQLHANDLE handle, const OdbcErrorContext &context);

// `text` with the password and any Pwd=/Password= value replaced by "****".
QString redactSecrets(QString text, const std::optional<QString> &password);

} // namespace syncline::engine::warehouse
