#include "connectors/database/sqlitefile.h"

#include "engine/warehouse/driverdefaults.h"

#include <QFile>
#include <QRegularExpression>

#include <sqlite3.h>

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;

namespace {

// The driver's getbool(): yes, true or a non-zero digit first.
bool driverBool(const QString &value)
{
    return !value.isEmpty() && QStringLiteral("Yy123456789Tt").contains(value.front());
}

// A pragma value the driver would pass on (a word); anything else is left to the driver.
bool isWord(const QString &value)
{
    static const QRegularExpression word(QStringLiteral("^[A-Za-z0-9]{1,16}$"));
    return word.match(value).hasMatch();
}

} // namespace

std::optional<SqliteFileOptions> directSqliteOptions(const QString &connectionString)
{
    auto attributes = engine::warehouse::parseConnectionString(connectionString);
    if (!attributes)
        return std::nullopt;
    auto value = [&](const char *key) { return engine::warehouse::attributeValue(*attributes, QLatin1String(key)); };
    if (!value("DSN").isNull() || !value("FILEDSN").isNull() || !value("LoadExt").trimmed().isEmpty())
        return std::nullopt;
    SqliteFileOptions options;
    options.path = value("Database");
    if (options.path.isEmpty())
        return std::nullopt;
    // Timeout as the driver reads it: a whole number (C notation), clamped to 1..1000000 ms.
    const QString timeout = value("Timeout").trimmed();
    if (!timeout.isEmpty()) {
        bool ok = false;
        const long long ms = timeout.toLongLong(&ok, 0);
        if (ok)
            options.busyTimeoutMs = ms < 1 || ms > 1000000 ? 1000000 : int(ms);
    }
    const QString sync = value("SyncPragma").trimmed();
    if (!sync.isEmpty()) {
        if (!isWord(sync))
            return std::nullopt;
        options.synchronous = sync;
    }
    options.journalMode = value("JournalMode").trimmed();
    if (!options.journalMode.isEmpty() && !isWord(options.journalMode))
        return std::nullopt;
    options.foreignKeys = driverBool(value("FKSupport").trimmed());
    options.create = !driverBool(value("NoCreat").trimmed());
    return options;
}

Result<std::unique_ptr<SqliteFile>> SqliteFile::open(const SqliteFileOptions &options, const QString &destination)
{
    sqlite3 *db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | (options.create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(options.path.toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString why = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close(db);
        return fail(QStringLiteral("odbc.unreachable"),
                    QStringLiteral("Destination '%1': cannot open the SQLite database %2 (%3); check the path in its "
                                   "connection and that the folder is writable")
                        .arg(destination, options.path, why),
                    false);
    }
    std::unique_ptr<SqliteFile> file(new SqliteFile(db, options.path));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busyTimeoutMs);
    const QByteArray pragmas = QStringLiteral("PRAGMA foreign_keys = %1; PRAGMA synchronous = %2;")
                                   .arg(options.foreignKeys ? QStringLiteral("on") : QStringLiteral("off"), options.synchronous)
                                   .toUtf8();
    if (auto set = file->exec(pragmas.constData()); !set) {
        engine::Error error = set.error();
        error.message = QStringLiteral("Destination '%1': cannot configure the SQLite database %2: %3")
                            .arg(destination, options.path, error.message);
        return std::unexpected(error);
    }
    if (!options.journalMode.isEmpty()) // like the driver: a mode the file cannot take is not an error
        sqlite3_exec(db, QStringLiteral("PRAGMA journal_mode = %1").arg(options.journalMode).toUtf8().constData(), nullptr,
                     nullptr, nullptr);
    return file;
}

SqliteFile::~SqliteFile()
{
    sqlite3_close_v2(m_db); // an open transaction is rolled back
}

Result<void> SqliteFile::exec(const char *sql)
{
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(error(rc));
    return {};
}

engine::Error SqliteFile::error(int rc) const
{
    const int primary = rc & 0xff;
    const QString text = QString::fromUtf8(sqlite3_errmsg(m_db));
    engine::Error error;
    error.code = QStringLiteral("database.sqlite");
    error.message = text;
    error.retryable = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    error.details = {{QStringLiteral("driver_message"), text},
                     {QStringLiteral("native_code"), QString::number(rc)},
                     {QStringLiteral("diagnostics"), text}};
    return error;
}

} // namespace syncline::connectors::database
