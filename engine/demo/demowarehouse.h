#pragma once
// The embedded demo warehouse: a SQLite database generated from resources/demo/demo_warehouse.sql
// and read through the SQLite3 ODBC driver like any other warehouse, so Syncline is useful with
// zero set-up. Generation is atomic (temporary file, then rename) and happens again only when the
// recipe's version changes. Thread: any; two processes racing both produce the same file.

#include "engine/core/error.h"

#include <QString>

namespace syncline::engine::demo {

// Creates the demo warehouse if missing or outdated and returns its path.
// Folder: `folder` when given, else $SYNCLINE_DEMO_DIR, else <data folder>/demo (engine/core/appfolders.h).
Result<QString> ensureDemoWarehouse(const QString &folder = {});

// The ODBC connection string that reads `databasePath` through the SQLite3 ODBC driver.
QString demoConnectionString(const QString &databasePath);

// The recipe's version (PRAGMA user_version it sets).
int demoWarehouseVersion();

} // namespace syncline::engine::demo
