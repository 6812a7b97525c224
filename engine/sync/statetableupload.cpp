#include "engine/sync/statetableupload.h"

#include "engine/sync/modelfeed.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/warehouseplansql.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::engine::sync {

namespace {

constexpr int kJsonRowsPerStatement = 10000;
constexpr int kValuesRowsPerStatement = 2000;

bool usesJson(const StateTableSpec &spec)
{
    return spec.dialect == warehouse::SqlDialect::PostgreSQL;
}

// `text` as a JSON string, then as the contents of a PostgreSQL E'' literal.
void appendJsonString(QString &out, const QString &text)
{
    out += QLatin1Char('"');
    for (QChar c : text) {
        if (c == QLatin1Char('"'))
            out += QStringLiteral("\\\\\""); // \" in JSON, its backslash doubled for E''
        else if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\\\\\"); // \\ in JSON, doubled for E''
        else if (c == QLatin1Char('\''))
            out += QStringLiteral("''");
        else if (c.unicode() < 0x20)
            out += QStringLiteral("\\\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += QLatin1Char('"');
}

} // namespace

QStringList stateKeyValues(const StateTableSpec &spec, std::string_view key)
{
    const QString text = QString::fromUtf8(key.data(), qsizetype(key.size()));
    QStringList values;
    if (spec.keyColumns.size() == 1) {
        values << text;
    } else {
        for (const QJsonValue &part : QJsonDocument::fromJson(text.toUtf8()).array())
            values << (part.isString() ? part.toString() : QString::number(part.toInteger()));
    }
    if (values.size() != qsizetype(spec.keyColumns.size()))
        return {};
    for (qsizetype c = 0; c < values.size(); ++c)
        if (!warehouse::keyLiteral(spec.dialect, spec.keyColumns[size_t(c)].kind, values[c]))
            return {};
    return values;
}

QStringList stateKeyLiterals(const StateTableSpec &spec, const QStringList &values)
{
    QStringList literals;
    for (qsizetype c = 0; c < values.size() && c < qsizetype(spec.keyColumns.size()); ++c)
        literals << warehouse::keyLiteral(spec.dialect, spec.keyColumns[size_t(c)].kind, values[c]).value_or(QString());
    return literals;
}

StateTableUpload::StateTableUpload(warehouse::OdbcConnection &connection, const StateTableSpec &spec)
    : m_connection(connection), m_spec(spec), m_table(warehouse::stateTableName(spec.dialect, spec.schema, spec.table))
{
}

Result<void> StateTableUpload::add(const QStringList &values, bool hasSourceHash, const mapping::PayloadHash &sourceHash)
{
    const QString hash = hasSourceHash ? warehouseSourceHash(m_spec.salt, sourceHash) : QString();
    if (usesJson(m_spec)) {
        m_pending += m_rows ? QStringLiteral(",{") : QStringLiteral("{");
        for (qsizetype c = 0; c < values.size(); ++c) {
            appendJsonString(m_pending, m_spec.keyColumns[size_t(c)].name);
            m_pending += QLatin1Char(':');
            appendJsonString(m_pending, values[c]);
            m_pending += QLatin1Char(',');
        }
        m_pending += hasSourceHash ? QStringLiteral("\"syncline_source_hash\":\"%1\"}").arg(hash)
                                   : QStringLiteral("\"syncline_source_hash\":null}");
    } else {
        m_pendingRows << QLatin1Char('(') + stateKeyLiterals(m_spec, values).join(QStringLiteral(", "))
                + (hasSourceHash ? QStringLiteral(", '%1')").arg(hash) : QStringLiteral(", NULL)"));
    }
    ++m_rows;
    if (m_rows >= (usesJson(m_spec) ? kJsonRowsPerStatement : kValuesRowsPerStatement))
        return flush();
    return {};
}

Result<void> StateTableUpload::flush()
{
    if (m_rows == 0)
        return {};
    const QString sql = usesJson(m_spec)
        ? QStringLiteral("INSERT INTO %1 SELECT * FROM json_populate_recordset(NULL::%1, E'[%2]')").arg(m_table, m_pending)
        : warehouse::insertStateRows(m_spec.dialect, m_table, m_spec.keyColumns, m_pendingRows);
    auto ok = m_connection.executeUpdate(sql);
    m_written += m_rows;
    m_rows = 0;
    m_pending.clear();
    m_pendingRows.clear();
    if (!ok)
        return std::unexpected(ok.error());
    return {};
}

} // namespace syncline::engine::sync
