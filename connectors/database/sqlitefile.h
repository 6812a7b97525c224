#pragma once
// The SQLite table destination's own connection to its database file, through the sqlite3 C API:
// the file and options named by the connection string the SQLite ODBC driver reads (Database=,
// Timeout=, SyncPragma=, JournalMode=, FKSupport=, NoCreat=), opened and configured the way that
// driver opens it, so the direct writer sees the same database the ODBC discovery saw.
// Thread: one instance per thread. Failure: Result; messages name the file and SQLite's words.

#include "engine/core/error.h"

#include <QString>

#include <memory>
#include <optional>

struct sqlite3;

namespace syncline::connectors::database {

struct SqliteFileOptions
{
    QString path;                              // the Database= value, as the driver passes it to sqlite3_open_v2
    int busyTimeoutMs = 100000;                // Timeout= (the driver's default; 1..1000000)
    QString synchronous = QStringLiteral("NORMAL"); // SyncPragma=
    QString journalMode;                       // JournalMode= (empty: the file's own)
    bool foreignKeys = false;                  // FKSupport=
    bool create = true;                        // not NoCreat=
};

// The options when the connection can be opened directly; nullopt when only the driver knows what
// it means: a DSN (its file and options live in odbc.ini), extensions (LoadExt=), no Database=.
std::optional<SqliteFileOptions> directSqliteOptions(const QString &connectionString);

class SqliteFile
{
public:
    // "database.unreachable" naming the file and destination when SQLite cannot open it.
    static engine::Result<std::unique_ptr<SqliteFile>> open(const SqliteFileOptions &options, const QString &destination);
    ~SqliteFile();
    SqliteFile(const SqliteFile &) = delete;
    SqliteFile &operator=(const SqliteFile &) = delete;

    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }
    // Runs one statement without results; the Error of error() when it fails.
    engine::Result<void> exec(const char *sql);
    // The last failure as an Error whose details writefailure.h reads (driver_message,
    // native_code, diagnostics); retryable when the database was busy or locked.
    engine::Error error(int rc) const;

private:
    SqliteFile(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}
    sqlite3 *m_db = nullptr;
    QString m_path;
};

} // namespace syncline::connectors::database
