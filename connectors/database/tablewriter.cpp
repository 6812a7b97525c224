#include "connectors/database/tablewriter.h"

#include "connectors/database/writefailure.h"
#include "engine/mapping/jsonreader.h"

#include <unordered_set>

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;
using engine::connector::Batch;
using engine::connector::Operation;
using engine::connector::RecordOutcome;
using engine::warehouse::OdbcBatchStatement;
using engine::warehouse::ParameterRows;
using engine::warehouse::ParameterType;
namespace json = engine::mapping::json;

struct TableWriter::Row
{
    size_t record = 0;
    std::vector<json::Member> members;
    std::vector<QString> names;
    std::string_view keyToken;
};

struct TableWriter::Group
{
    Operation operation = Operation::Upsert;
    QStringList fields; // payload fields the statement writes (clear: the fields set to NULL)
    std::vector<Row *> rows;
};

namespace {

RecordOutcome rejected(const QString &why)
{
    RecordOutcome outcome;
    outcome.error = why;
    return outcome;
}

const char *savepoint = "syncline_rows";

} // namespace

TableWriter::TableWriter(engine::warehouse::OdbcConnection &connection, const SqlDialect &dialect, TableName table,
                         std::vector<TableColumn> columns, QString keyColumn)
    : m_connection(connection), m_dialect(dialect), m_table(std::move(table)), m_columns(std::move(columns)),
      m_key(std::move(keyColumn))
{
    for (size_t i = 0; i < m_columns.size(); ++i) {
        m_columnIndex.emplace(m_columns[i].name, i);
        if (m_columns[i].name == m_key)
            m_keyIndex = i;
    }
}

Result<void> TableWriter::execute(const QString &sql)
{
    if (auto done = m_connection.executeUpdate(sql); !done)
        return std::unexpected(batchFailure(m_dialect, done.error(),
                                            QStringLiteral("Writing to table %1 failed (%2)").arg(m_dialect.qualified(m_table), sql)));
    return {};
}

Result<std::vector<RecordOutcome>> TableWriter::write(const Batch &batch, const engine::CancellationToken &cancellation)
{
    std::vector<RecordOutcome> outcomes(batch.records.size());
    std::vector<Row> rows(batch.records.size());
    std::map<QString, Group> groups;
    std::string decoded;
    for (size_t i = 0; i < batch.records.size(); ++i) {
        const auto &record = batch.records[i];
        Row &row = rows[i];
        row.record = i;
        if (!json::splitObject(record.payload, row.members)) {
            outcomes[i] = rejected(QStringLiteral("the record's payload is not a JSON object"));
            continue;
        }
        QStringList fields;
        for (const json::Member &member : row.members) {
            decoded.clear();
            json::decodeString(member.key, decoded);
            row.names.push_back(QString::fromStdString(decoded));
            if (row.names.back() == m_key)
                row.keyToken = member.value;
            else if (record.operation != Operation::Clear || member.value == "null")
                fields << row.names.back();
        }
        if (row.keyToken.empty() || row.keyToken == "null") {
            outcomes[i] = rejected(QStringLiteral("the record has no value for the key column %1").arg(m_key));
            continue;
        }
        if (record.operation != Operation::Clear && record.operation != Operation::Delete)
            fields = QStringList(row.names.begin(), row.names.end());
        if (record.operation == Operation::Delete)
            fields.clear();
        const QString groupKey = engine::connector::operationName(record.operation) + QChar(0x1f) + fields.join(QChar(0x1f));
        Group &group = groups[groupKey];
        group.operation = record.operation;
        group.fields = fields;
        group.rows.push_back(&row);
    }

    Result<void> written;
    for (auto &[key, group] : groups) {
        written = runGroup(group, outcomes, cancellation);
        if (!written)
            break;
    }
    if (written)
        if (auto committed = m_connection.commit(); !committed)
            written = std::unexpected(batchFailure(m_dialect, committed.error(),
                                                   QStringLiteral("Committing to table %1 failed").arg(m_dialect.qualified(m_table))));
    if (!written) {
        (void)m_connection.rollback();
        return std::unexpected(written.error());
    }
    return outcomes;
}

Result<OdbcBatchStatement *> TableWriter::statement(const QString &cacheKey, const QString &sql, size_t parameters)
{
    auto found = m_statements.find(cacheKey);
    if (found != m_statements.end())
        return found->second.get();
    auto prepared = OdbcBatchStatement::prepare(m_connection, sql, std::vector<ParameterType>(parameters));
    if (!prepared)
        return std::unexpected(batchFailure(m_dialect, prepared.error(),
                                            QStringLiteral("Table %1 refused the statement %2").arg(m_dialect.qualified(m_table), sql)));
    return m_statements.emplace(cacheKey, std::move(*prepared)).first->second.get();
}

QString TableWriter::normalizedKey(const QString &text) const
{
    const TableColumn &key = m_columns[m_keyIndex];
    if (key.type == FieldType::Integer || key.type == FieldType::Number) {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (ok)
            return QString::number(value, 'g', 17);
    }
    return key.caseInsensitive ? text.toCaseFolded() : text;
}

Result<void> TableWriter::filterByExistence(Group &group, std::vector<RecordOutcome> &outcomes)
{
    const TableColumn &key = m_columns[m_keyIndex];
    QStringList placeholders;
    for (size_t i = 0; i < kLookupChunk; ++i)
        placeholders << m_dialect.placeholder(key);
    const QString sql = QStringLiteral("SELECT %1 FROM %2 WHERE %1 IN (%3)")
                            .arg(m_dialect.quote(m_key), m_dialect.qualified(m_table), placeholders.join(QStringLiteral(", ")));
    auto lookup = statement(QStringLiteral("lookup"), sql, kLookupChunk);
    if (!lookup)
        return std::unexpected(lookup.error());
    std::unordered_set<QString> existing;
    for (size_t start = 0; start < group.rows.size(); start += kLookupChunk) {
        ParameterRows keys(static_cast<int>(kLookupChunk)); // unused places stay NULL, which matches nothing
        keys.addRow();
        for (size_t i = 0; i < kLookupChunk && start + i < group.rows.size(); ++i)
            keys.set(0, int(i), m_dialect.parameterText(group.rows[start + i]->keyToken, key.type).value_or(std::string()));
        auto found = (*lookup)->query(keys, 0);
        if (!found)
            return std::unexpected(batchFailure(m_dialect, found.error(),
                                                QStringLiteral("Looking up keys in table %1 failed").arg(m_dialect.qualified(m_table))));
        for (const auto &row : *found)
            if (!row.empty() && row[0])
                existing.insert(normalizedKey(QString::fromStdString(*row[0])));
    }
    std::vector<Row *> kept;
    for (Row *row : group.rows) {
        const QString text = QString::fromStdString(m_dialect.parameterText(row->keyToken, key.type).value_or(std::string()));
        const bool exists = existing.contains(normalizedKey(text));
        if (group.operation == Operation::Insert && exists)
            outcomes[row->record] = rejected(QStringLiteral("record already exists: table %1 has a row with %2 = %3")
                                                 .arg(m_dialect.qualified(m_table), m_key, text));
        else if (group.operation == Operation::Update && !exists)
            outcomes[row->record] = rejected(QStringLiteral("no such record: table %1 has no row with %2 = %3")
                                                 .arg(m_dialect.qualified(m_table), m_key, text));
        else
            kept.push_back(row);
    }
    group.rows = std::move(kept);
    return {};
}

Result<void> TableWriter::runGroup(Group &group, std::vector<RecordOutcome> &outcomes,
                                   const engine::CancellationToken &cancellation)
{
    // The columns each field goes to; a field the table lacks fails the batch.
    std::vector<size_t> columns;
    for (const QString &field : group.fields) {
        const auto found = m_columnIndex.find(field);
        if (found == m_columnIndex.end())
            return fail(QStringLiteral("database.missing_column"),
                        QStringLiteral("Table %1 has no column %2 for the mapped field %3; add it (ALTER TABLE %1 ADD COLUMN %2 ...) "
                                       "or remove the field from the sync's mapping")
                            .arg(m_dialect.qualified(m_table), m_dialect.quote(field), field));
        columns.push_back(found->second);
    }
    if (group.operation == Operation::Insert || group.operation == Operation::Update)
        if (auto filtered = filterByExistence(group, outcomes); !filtered)
            return filtered;

    // The statement and, per parameter, the column it binds (the key last for update/delete/clear).
    const QString table = m_dialect.qualified(m_table);
    const QString keyMatch = m_dialect.quote(m_key) + QStringLiteral(" = ") + m_dialect.placeholder(m_columns[m_keyIndex]);
    std::vector<size_t> parameters;
    QString sql;
    switch (group.operation) {
    case Operation::Upsert:
    case Operation::Insert: {
        QStringList names, quoted, placeholders;
        for (size_t c : columns) {
            names << m_columns[c].name;
            quoted << m_dialect.quote(m_columns[c].name);
            placeholders << m_dialect.placeholder(m_columns[c]);
        }
        parameters = columns;
        sql = group.operation == Operation::Upsert
                  ? m_dialect.upsert(m_table, names, m_key, placeholders)
                  : QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                        .arg(table, quoted.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")));
        break;
    }
    case Operation::Update:
    case Operation::Clear: {
        QStringList sets;
        for (size_t c : columns) {
            if (c == m_keyIndex)
                continue;
            sets << m_dialect.quote(m_columns[c].name) + QStringLiteral(" = ")
                        + (group.operation == Operation::Clear ? QStringLiteral("NULL") : m_dialect.placeholder(m_columns[c]));
            if (group.operation == Operation::Update)
                parameters.push_back(c);
        }
        parameters.push_back(m_keyIndex);
        if (sets.isEmpty()) { // nothing to change: the record exists (update) or has nothing to clear
            for (Row *row : group.rows)
                outcomes[row->record].accepted = true;
            return {};
        }
        sql = QStringLiteral("UPDATE %1 SET %2 WHERE %3").arg(table, sets.join(QStringLiteral(", ")), keyMatch);
        break;
    }
    case Operation::Delete:
        parameters.push_back(m_keyIndex);
        sql = QStringLiteral("DELETE FROM %1 WHERE %2").arg(table, keyMatch);
        break;
    }
    if (group.rows.empty())
        return {};

    ParameterRows values(static_cast<int>(parameters.size()));
    std::vector<size_t> records;
    records.reserve(group.rows.size());
    for (const Row *row : group.rows) {
        const size_t r = values.rowCount();
        values.addRow();
        records.push_back(row->record);
        for (size_t p = 0; p < parameters.size(); ++p) {
            const TableColumn &column = m_columns[parameters[p]];
            std::string_view token;
            if (parameters[p] == m_keyIndex) {
                token = row->keyToken;
            } else {
                for (size_t m = 0; m < row->names.size(); ++m)
                    if (row->names[m] == column.name) {
                        token = row->members[m].value;
                        break;
                    }
            }
            if (auto text = m_dialect.parameterText(token, column.type))
                values.set(r, int(p), *text);
        }
    }
    auto prepared = statement(engine::connector::operationName(group.operation) + QChar(0x1f) + group.fields.join(QChar(0x1f)),
                              sql, parameters.size());
    if (!prepared)
        return std::unexpected(prepared.error());
    return isolate(**prepared, values, records, 0, records.size(), outcomes, cancellation);
}

Result<void> TableWriter::isolate(OdbcBatchStatement &statement, const ParameterRows &parameters,
                                  const std::vector<size_t> &records, size_t first, size_t count,
                                  std::vector<RecordOutcome> &outcomes, const engine::CancellationToken &cancellation)
{
    if (cancellation.isCancelled())
        return fail(QStringLiteral("database.cancelled"), QStringLiteral("The run was cancelled; the batch was rolled back"));
    size_t bytes = 0;
    for (size_t r = first; r < first + count; ++r)
        for (int c = 0; c < parameters.columnCount(); ++c)
            bytes += parameters.cell(r, c) ? parameters.cell(r, c)->size() + 1 : 1;
    if (count > 1 && bytes * 2 > kMaxBoundBytes) { // cells are as wide as the widest: keep buffers bounded
        const size_t half = count / 2;
        if (auto ok = isolate(statement, parameters, records, first, half, outcomes, cancellation); !ok)
            return ok;
        return isolate(statement, parameters, records, first + half, count - half, outcomes, cancellation);
    }
    if (auto ok = execute(QStringLiteral("SAVEPOINT ") + QLatin1String(savepoint)); !ok)
        return ok;
    auto done = statement.execute(parameters, first, count);
    if (done) {
        if (auto ok = execute(QStringLiteral("RELEASE SAVEPOINT ") + QLatin1String(savepoint)); !ok)
            return ok;
        for (size_t r = first; r < first + count; ++r)
            outcomes[records[r]].accepted = true;
        return {};
    }
    const FailureScope scope = failureScope(m_dialect, done.error());
    if (scope != FailureScope::Transient) {
        if (auto ok = execute(QStringLiteral("ROLLBACK TO SAVEPOINT ") + QLatin1String(savepoint)); !ok)
            return ok;
        if (auto ok = execute(QStringLiteral("RELEASE SAVEPOINT ") + QLatin1String(savepoint)); !ok)
            return ok;
    }
    if (scope != FailureScope::Row)
        return std::unexpected(batchFailure(m_dialect, done.error(),
                                            QStringLiteral("Writing to table %1 failed").arg(m_dialect.qualified(m_table))));
    if (count == 1) {
        outcomes[records[first]] = rejected(databaseMessage(done.error()));
        return {};
    }
    const size_t half = count / 2;
    if (auto ok = isolate(statement, parameters, records, first, half, outcomes, cancellation); !ok)
        return ok;
    return isolate(statement, parameters, records, first + half, count - half, outcomes, cancellation);
}

} // namespace syncline::connectors::database
