#pragma once
// Writes batches to a SQLite table through the sqlite3 C API, with the same per-record rules and
// messages as TableWriter (the ODBC path): one transaction per batch (BEGIN IMMEDIATE), one
// prepared statement per operation and field set reused for every row, each value bound as text
// as the ODBC driver binds it, so the column's affinity stores the same value. A row SQLite
// refuses (NOT NULL, CHECK, UNIQUE, a datatype mismatch) is rejected alone with SQLite's words,
// which name the column or constraint, while its neighbours land; SQLite undoes a failed
// statement by itself, so no savepoint is needed (a conflict clause that rolls the transaction
// back restarts the batch without that row). Insert rejects existing keys, update missing ones,
// delete of a missing row is accepted, clear sets the fields it names to NULL.
// Thread: the run's. Failure: a busy or locked database fails the batch as retryable (after the
// connection's busy timeout), any other database failure fails it; either rolls it back whole.

#include "connectors/database/sqldialect.h"
#include "connectors/database/sqlitefile.h"
#include "engine/connector/connector.h"
#include "engine/mapping/jsonreader.h"

#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3_stmt;

namespace syncline::connectors::database {

class SqliteTableWriter
{
public:
    SqliteTableWriter(std::unique_ptr<SqliteFile> file, const SqlDialect &dialect, TableName table,
                      std::vector<TableColumn> columns, QString keyColumn);
    ~SqliteTableWriter();

    engine::Result<std::vector<engine::connector::RecordOutcome>> write(const engine::connector::Batch &batch,
                                                                        const engine::CancellationToken &cancellation);

private:
    struct Statement;
    struct Shape;
    engine::Result<const Shape *> shapeFor(engine::connector::Operation operation, const std::vector<engine::mapping::json::Member> &members);
    engine::Result<Statement *> prepare(const QString &sql);
    engine::Result<bool> attempt(const engine::connector::Batch &batch, std::vector<engine::connector::RecordOutcome> &outcomes,
                                 std::vector<std::pair<size_t, QString>> &dropped, const engine::CancellationToken &cancellation);
    engine::Error failure(int rc, const QString &what) const;
    QString keyText(std::string_view token) const;

    std::unique_ptr<SqliteFile> m_file;
    const SqlDialect &m_dialect;
    TableName m_table;
    QString m_qualified;
    std::vector<TableColumn> m_columns;
    std::unordered_map<QString, size_t> m_columnIndex;
    QString m_key;
    size_t m_keyIndex = 0;
    QString m_rowidColumn; // the INTEGER PRIMARY KEY column (the rowid), when the table has one
    std::unordered_map<std::string, std::unique_ptr<Shape>> m_shapes;
    std::unordered_map<QString, std::unique_ptr<Statement>> m_statements;
    std::string m_shapeKey;
};

} // namespace syncline::connectors::database
