#include "connectors/database/sqlitetablewriter.h"

#include "connectors/database/writefailure.h"

#include <sqlite3.h>

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;
using engine::connector::Batch;
using engine::connector::Operation;
using engine::connector::RecordOutcome;
namespace json = engine::mapping::json;

struct SqliteTableWriter::Statement
{
    sqlite3_stmt *handle = nullptr;
    ~Statement() { sqlite3_finalize(handle); }
};

// What one operation with one set of payload fields needs: its statements and which member
// binds which parameter. Rows of a run mostly share one shape, so it is built once.
struct SqliteTableWriter::Shape
{
    Operation operation = Operation::Upsert;
    int keyMember = -1;          // the member holding the key; -1: the payload has none
    QString missingField;        // a field the table has no column for: the batch fails
    Statement *lookup = nullptr; // does the key exist (insert; update without fields)
    Statement *write = nullptr;  // null: nothing to write
    std::vector<std::pair<int, FieldType>> bindings; // per parameter: member index and column type
};

namespace {

RecordOutcome rejected(const QString &why)
{
    RecordOutcome outcome;
    outcome.error = why;
    return outcome;
}

RecordOutcome accepted()
{
    RecordOutcome outcome;
    outcome.accepted = true;
    return outcome;
}

engine::Error cancelledError()
{
    return engine::Error{QStringLiteral("database.cancelled"), QStringLiteral("The run was cancelled; the batch was rolled back"),
                         false, {}};
}

} // namespace

SqliteTableWriter::SqliteTableWriter(std::unique_ptr<SqliteFile> file, const SqlDialect &dialect, TableName table,
                                     std::vector<TableColumn> columns, QString keyColumn)
    : m_file(std::move(file)), m_dialect(dialect), m_table(std::move(table)), m_qualified(dialect.qualified(m_table)),
      m_columns(std::move(columns)), m_key(std::move(keyColumn))
{
    for (size_t i = 0; i < m_columns.size(); ++i) {
        m_columnIndex.emplace(m_columns[i].name, i);
        if (m_columns[i].name == m_key)
            m_keyIndex = i;
        if (m_columns[i].primaryKey && m_columns[i].typeName.trimmed().compare(QLatin1String("INTEGER"), Qt::CaseInsensitive) == 0)
            m_rowidColumn = m_columns[i].name;
    }
}

SqliteTableWriter::~SqliteTableWriter()
{
    m_shapes.clear();
    m_statements.clear(); // finalized before the file closes
}

engine::Error SqliteTableWriter::failure(int rc, const QString &what) const
{
    if ((rc & 0xff) == SQLITE_INTERRUPT) // sqlite3_interrupt() from the run's cancellation
        return cancelledError();
    return batchFailure(m_dialect, m_file->error(rc), what);
}

QString SqliteTableWriter::keyText(std::string_view token) const
{
    return QString::fromStdString(m_dialect.parameterText(token, m_columns[m_keyIndex].type).value_or(std::string()));
}

Result<SqliteTableWriter::Statement *> SqliteTableWriter::prepare(const QString &sql)
{
    auto found = m_statements.find(sql);
    if (found != m_statements.end())
        return found->second.get();
    auto statement = std::make_unique<Statement>();
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v3(m_file->handle(), utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT,
                                      &statement->handle, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(failure(rc, QStringLiteral("Table %1 refused the statement %2").arg(m_qualified, sql)));
    return m_statements.emplace(sql, std::move(statement)).first->second.get();
}

Result<const SqliteTableWriter::Shape *> SqliteTableWriter::shapeFor(Operation operation, const std::vector<json::Member> &members)
{
    m_shapeKey.clear();
    m_shapeKey.push_back(char('0' + int(operation)));
    for (const json::Member &member : members) {
        m_shapeKey.append(member.key);
        if (operation == Operation::Clear)
            m_shapeKey.push_back(member.value == "null" ? '\1' : '\2');
        m_shapeKey.push_back('\x1f');
    }
    if (auto found = m_shapes.find(m_shapeKey); found != m_shapes.end())
        return found->second.get();

    auto shape = std::make_unique<Shape>();
    shape->operation = operation;
    // The fields the statement writes, as TableWriter picks them: every member (upsert, insert,
    // update), the members set to null (clear), none (delete).
    std::vector<int> fields;
    std::string decoded;
    for (size_t m = 0; m < members.size(); ++m) {
        decoded.clear();
        json::decodeString(members[m].key, decoded);
        const QString name = QString::fromStdString(decoded);
        if (name == m_key && shape->keyMember < 0)
            shape->keyMember = int(m);
        const bool written = operation == Operation::Clear ? name != m_key && members[m].value == "null"
                                                           : operation != Operation::Delete;
        if (!written)
            continue;
        if (!m_columnIndex.contains(name)) {
            if (shape->missingField.isEmpty())
                shape->missingField = name;
            continue;
        }
        fields.push_back(int(m));
    }
    auto nameOf = [&](int m) {
        decoded.clear();
        json::decodeString(members[size_t(m)].key, decoded);
        return QString::fromStdString(decoded);
    };
    const TableColumn &key = m_columns[m_keyIndex];
    const QString keyMatch = m_dialect.quote(m_key) + QStringLiteral(" = ") + m_dialect.placeholder(key);
    auto bindKey = [&] { shape->bindings.emplace_back(shape->keyMember, key.type); };
    QString sql;
    if (shape->missingField.isEmpty() && shape->keyMember >= 0) {
        if (operation == Operation::Insert || operation == Operation::Update) {
            auto lookup = prepare(QStringLiteral("SELECT 1 FROM %1 WHERE %2").arg(m_qualified, keyMatch));
            if (!lookup)
                return std::unexpected(lookup.error());
            shape->lookup = *lookup;
        }
        switch (operation) {
        case Operation::Upsert:
        case Operation::Insert: {
            QStringList names, quoted, placeholders;
            for (int m : fields) {
                const TableColumn &column = m_columns[m_columnIndex.at(nameOf(m))];
                names << column.name;
                quoted << m_dialect.quote(column.name);
                placeholders << m_dialect.placeholder(column);
                shape->bindings.emplace_back(m, column.type);
            }
            sql = operation == Operation::Upsert
                      ? m_dialect.upsert(m_table, names, m_key, placeholders)
                      : QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                            .arg(m_qualified, quoted.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")));
            break;
        }
        case Operation::Update:
        case Operation::Clear: {
            QStringList sets;
            for (int m : fields) {
                const TableColumn &column = m_columns[m_columnIndex.at(nameOf(m))];
                if (column.name == m_key)
                    continue;
                sets << m_dialect.quote(column.name) + QStringLiteral(" = ")
                            + (operation == Operation::Clear ? QStringLiteral("NULL") : m_dialect.placeholder(column));
                if (operation == Operation::Update)
                    shape->bindings.emplace_back(m, column.type);
            }
            bindKey();
            if (!sets.isEmpty())
                sql = QStringLiteral("UPDATE %1 SET %2 WHERE %3").arg(m_qualified, sets.join(QStringLiteral(", ")), keyMatch);
            break;
        }
        case Operation::Delete:
            bindKey();
            sql = QStringLiteral("DELETE FROM %1 WHERE %2").arg(m_qualified, keyMatch);
            break;
        }
        if (!sql.isEmpty()) {
            auto write = prepare(sql);
            if (!write)
                return std::unexpected(write.error());
            shape->write = *write;
        }
    }
    return m_shapes.emplace(m_shapeKey, std::move(shape)).first->second.get();
}

namespace {

// Binds a JSON value token as the text TableWriter hands the ODBC driver (SqlDialect::parameterText),
// which the driver binds as SQLite text: the column's affinity then stores the same value.
void bindToken(sqlite3_stmt *statement, int index, std::string_view token, FieldType type, const SqlDialect &dialect)
{
    if (token.empty() || token == "null") {
        sqlite3_bind_null(statement, index);
        return;
    }
    const bool plainString = token.size() >= 2 && token.front() == '"' && token.back() == '"'
                          && token.find('\\') == std::string_view::npos && type != FieldType::Timestamp;
    if (plainString) {
        sqlite3_bind_text(statement, index, token.data() + 1, int(token.size() - 2), SQLITE_STATIC);
        return;
    }
    if (token.front() != '"' && token != "true" && token != "false") { // numbers, objects and arrays as written
        sqlite3_bind_text(statement, index, token.data(), int(token.size()), SQLITE_STATIC);
        return;
    }
    const std::string text = dialect.parameterText(token, type).value_or(std::string());
    sqlite3_bind_text(statement, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
}

} // namespace

Result<std::vector<RecordOutcome>> SqliteTableWriter::write(const Batch &batch, const engine::CancellationToken &cancellation)
{
    sqlite3 *db = m_file->handle();
    const auto interrupt = cancellation.onCancel([db] { sqlite3_interrupt(db); });
    std::vector<RecordOutcome> outcomes;
    std::vector<std::pair<size_t, QString>> dropped; // rows whose failure rolled the transaction back
    for (;;) {
        auto done = attempt(batch, outcomes, dropped, cancellation);
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        if (!done)
            return std::unexpected(done.error());
        if (*done)
            return outcomes;
    }
}

// One try at the batch in one transaction: true when committed, false when a row's failure rolled
// the transaction back (that row is added to `dropped` and the batch is tried again without it).
Result<bool> SqliteTableWriter::attempt(const Batch &batch, std::vector<RecordOutcome> &outcomes,
                                        std::vector<std::pair<size_t, QString>> &dropped,
                                        const engine::CancellationToken &cancellation)
{
    sqlite3 *db = m_file->handle();
    auto cancelled = [] { return std::unexpected(cancelledError()); };
    if (cancellation.isCancelled())
        return cancelled();
    outcomes.assign(batch.records.size(), RecordOutcome());
    std::vector<bool> skip(batch.records.size());
    for (const auto &[record, why] : dropped) {
        outcomes[record] = rejected(why);
        skip[record] = true;
    }
    if (const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); rc != SQLITE_OK)
        return std::unexpected(failure(rc, QStringLiteral("Writing to table %1 failed").arg(m_qualified)));

    // Runs `statement` for the row; SQLITE_ROW/SQLITE_DONE, or the failure's code.
    auto run = [&](Statement *statement, const Shape &shape, const std::vector<json::Member> &members) {
        sqlite3_stmt *handle = statement->handle;
        const bool keyOnly = statement == shape.lookup;
        if (keyOnly) {
            bindToken(handle, 1, members[size_t(shape.keyMember)].value, m_columns[m_keyIndex].type, m_dialect);
        } else {
            for (size_t p = 0; p < shape.bindings.size(); ++p)
                bindToken(handle, int(p + 1), members[size_t(shape.bindings[p].first)].value, shape.bindings[p].second, m_dialect);
        }
        return sqlite3_step(handle);
    };

    std::vector<json::Member> members;
    for (size_t i = 0; i < batch.records.size(); ++i) {
        if (skip[i])
            continue;
        if ((i & 255) == 255 && cancellation.isCancelled())
            return cancelled();
        const auto &record = batch.records[i];
        if (!json::splitObject(record.payload, members)) {
            outcomes[i] = rejected(QStringLiteral("the record's payload is not a JSON object"));
            continue;
        }
        auto shape = shapeFor(record.operation, members);
        if (!shape)
            return std::unexpected(shape.error());
        const Shape &s = **shape;
        const std::string_view keyToken = s.keyMember >= 0 ? members[size_t(s.keyMember)].value : std::string_view();
        if (keyToken.empty() || keyToken == "null") {
            outcomes[i] = rejected(QStringLiteral("the record has no value for the key column %1").arg(m_key));
            continue;
        }
        if (!s.missingField.isEmpty())
            return fail(QStringLiteral("database.missing_column"),
                        QStringLiteral("Table %1 has no column %2 for the mapped field %3; add it (ALTER TABLE %1 ADD COLUMN %2 ...) "
                                       "or remove the field from the sync's mapping")
                            .arg(m_qualified, m_dialect.quote(s.missingField), s.missingField));

        // A failed step: the row is rejected (SQLite has undone the statement), or the batch fails.
        auto onFailure = [&](Statement *statement, int rc) -> Result<bool> {
            const engine::Error error = m_file->error(rc);
            sqlite3_reset(statement->handle);
            const int primary = rc & 0xff;
            if (primary == SQLITE_INTERRUPT)
                return cancelled();
            const bool rowFault = (primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG
                                   || primary == SQLITE_ERROR)
                               && failureScope(m_dialect, error) == FailureScope::Row;
            if (!rowFault)
                return std::unexpected(batchFailure(m_dialect, error, QStringLiteral("Writing to table %1 failed").arg(m_qualified)));
            QString why = databaseMessage(error);
            if (primary == SQLITE_MISMATCH && !m_rowidColumn.isEmpty()) // SQLite does not say which column
                why += QStringLiteral(" (%1 is the table's INTEGER PRIMARY KEY and takes whole numbers only%2)")
                           .arg(m_dialect.quote(m_rowidColumn),
                                m_rowidColumn == m_key ? QStringLiteral(", not ") + keyText(keyToken) : QString());
            if (sqlite3_get_autocommit(db)) { // the table's conflict clause rolled the transaction back
                dropped.emplace_back(i, why);
                return false;
            }
            outcomes[i] = rejected(why);
            return true;
        };

        if (s.lookup) {
            const int rc = run(s.lookup, s, members);
            sqlite3_reset(s.lookup->handle);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                auto handled = onFailure(s.lookup, rc);
                if (!handled || !*handled)
                    return handled;
                continue;
            }
            const bool exists = rc == SQLITE_ROW;
            if (s.operation == Operation::Insert && exists) {
                outcomes[i] = rejected(QStringLiteral("record already exists: table %1 has a row with %2 = %3")
                                           .arg(m_qualified, m_key, keyText(keyToken)));
                continue;
            }
            if (s.operation == Operation::Update && !exists) {
                outcomes[i] = rejected(QStringLiteral("no such record: table %1 has no row with %2 = %3")
                                           .arg(m_qualified, m_key, keyText(keyToken)));
                continue;
            }
        }
        if (!s.write) { // nothing to change: the record exists (update) or has nothing to clear
            outcomes[i] = accepted();
            continue;
        }
        const int rc = run(s.write, s, members);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            auto handled = onFailure(s.write, rc);
            if (!handled || !*handled)
                return handled;
            continue;
        }
        sqlite3_reset(s.write->handle);
        outcomes[i] = accepted();
    }
    if (const int rc = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); rc != SQLITE_OK)
        return std::unexpected(failure(rc, QStringLiteral("Committing to table %1 failed").arg(m_qualified)));
    return true;
}

} // namespace syncline::connectors::database
