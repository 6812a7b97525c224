#pragma once
// A prepared SQLite statement with RAII finalisation and typed bind/read helpers.
// Thread: same as the connection it was prepared on.

#include "engine/core/error.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace syncline::engine::state {

class SqliteStatement
{
public:
    static Result<SqliteStatement> prepare(sqlite3 *db, const QString &sql);
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    ~SqliteStatement();

    // Binds are 1-based like SQLite's.
    SqliteStatement &bind(int index, const QString &value);      // NULL when value.isNull()
    SqliteStatement &bind(int index, std::string_view utf8);
    SqliteStatement &bindBlob(int index, const void *data, int size);
    SqliteStatement &bind(int index, qint64 value);
    SqliteStatement &bind(int index, double value);
    SqliteStatement &bindNull(int index);

    // Steps once: true when a row is available, false when done.
    Result<bool> step();
    // Steps until done (for INSERT/UPDATE/DELETE); then resets for reuse.
    Result<void> run();
    void reset(); // reset + clear bindings

    bool isNull(int column) const;              // 0-based like SQLite's
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    std::string_view textView(int column) const; // valid until the next step/reset
    QByteArray blob(int column) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
    Error error(const QString &what) const;
    void noteBind(int index, int rc); // a failed bind is reported by the next step()
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    int m_bindError = 0;
    int m_bindErrorIndex = 0;
};

} // namespace syncline::engine::state
