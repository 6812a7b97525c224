#include "engine/state/sqlitestatement.h"

#include <sqlite3.h>
#include <utility>

namespace syncline::engine::state {

namespace {
bool isBusy(int rc)
{
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}
} // namespace

Result<SqliteStatement> SqliteStatement::prepare(sqlite3 *db, const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return fail(isBusy(rc) ? QStringLiteral("workspace.busy") : QStringLiteral("workspace.sql"),
            QStringLiteral("cannot prepare SQL: ") + QString::fromUtf8(sqlite3_errmsg(db)), isBusy(rc),
            { { QStringLiteral("sql"), sql }, { QStringLiteral("sqlite_code"), QString::number(rc) } });
    }
    return SqliteStatement(db, stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_bindError(std::exchange(other.m_bindError, 0))
    , m_bindErrorIndex(std::exchange(other.m_bindErrorIndex, 0))
{ }

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindError = std::exchange(other.m_bindError, 0);
        m_bindErrorIndex = std::exchange(other.m_bindErrorIndex, 0);
    }
    return *this;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::noteBind(int index, int rc)
{
    if (rc != SQLITE_OK && m_bindError == SQLITE_OK) {
        m_bindError = rc;
        m_bindErrorIndex = index;
    }
}

SqliteStatement &SqliteStatement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    noteBind(index, sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT));
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, std::string_view utf8)
{
    noteBind(index, sqlite3_bind_text(m_stmt, index, utf8.data(), int(utf8.size()), SQLITE_TRANSIENT));
    return *this;
}

SqliteStatement &SqliteStatement::bindBlob(int index, const void *data, int size)
{
    noteBind(index, sqlite3_bind_blob(m_stmt, index, data ? data : "", size, SQLITE_TRANSIENT));
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, qint64 value)
{
    noteBind(index, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, double value)
{
    noteBind(index, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

SqliteStatement &SqliteStatement::bindNull(int index)
{
    noteBind(index, sqlite3_bind_null(m_stmt, index));
    return *this;
}

Result<bool> SqliteStatement::step()
{
    if (m_bindError != SQLITE_OK) {
        const int rc = std::exchange(m_bindError, SQLITE_OK);
        return fail(QStringLiteral("workspace.sql"),
            QStringLiteral("cannot bind parameter %1: %2")
                .arg(m_bindErrorIndex)
                .arg(QString::fromUtf8(sqlite3_errstr(rc))),
            false, { { QStringLiteral("sql"), QString::fromUtf8(sqlite3_sql(m_stmt)) } });
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error failure = error(QStringLiteral("SQL failed"));
    sqlite3_reset(m_stmt);
    return std::unexpected(std::move(failure));
}

Result<void> SqliteStatement::run()
{
    for (;;) {
        auto row = step();
        if (!row) {
            reset();
            return std::unexpected(row.error());
        }
        if (!*row)
            break;
    }
    reset();
    return {};
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError = SQLITE_OK;
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString SqliteStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

std::string_view SqliteStatement::textView(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return { data, size_t(sqlite3_column_bytes(m_stmt, column)) };
}

QByteArray SqliteStatement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

Error SqliteStatement::error(const QString &what) const
{
    const int rc = sqlite3_extended_errcode(m_db);
    const bool busy = isBusy(rc);
    return Error { busy ? QStringLiteral("workspace.busy") : QStringLiteral("workspace.sql"),
        what + QStringLiteral(": ") + QString::fromUtf8(sqlite3_errmsg(m_db))
            + (busy ? QStringLiteral(" (another Syncline process holds the workspace; try again)") : QString()),
        busy,
        { { QStringLiteral("sql"), QString::fromUtf8(sqlite3_sql(m_stmt)) },
            { QStringLiteral("sqlite_code"), QString::number(rc) } } };
}

} // namespace syncline::engine::state
