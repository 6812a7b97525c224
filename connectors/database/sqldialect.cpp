#include "connectors/database/sqldialect.h"

#include "connectors/database/mariadbdialect.h"
#include "connectors/database/postgresdialect.h"
#include "connectors/database/sqlitedialect.h"
#include "engine/mapping/jsonreader.h"

namespace syncline::connectors::database {

using engine::fail;
using engine::Result;

QString SqlDialect::qualified(const TableName &name) const
{
    if (name.schema.isEmpty() || !hasSchemas())
        return quote(name.table);
    return quote(name.schema) + QLatin1Char('.') + quote(name.table);
}

namespace {

// Splits `text` at unquoted dots, removing the quotes (a doubled quote is one quote).
std::optional<QStringList> splitName(const QString &text, QChar quoteChar)
{
    QStringList parts{QString()};
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == quoteChar) {
                if (i + 1 < text.size() && text[i + 1] == quoteChar) {
                    parts.back() += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                parts.back() += c;
            }
        } else if (c == quoteChar && parts.back().isEmpty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else if (c == QLatin1Char('.')) {
            parts.append(QString());
            wasQuoted = false;
        } else if (wasQuoted) {
            return std::nullopt; // text after a closing quote
        } else {
            parts.back() += c;
        }
    }
    if (quoted)
        return std::nullopt;
    return parts;
}

} // namespace

Result<TableName> SqlDialect::parseObject(const QString &object) const
{
    const QString text = object.trimmed();
    auto bad = [&](const QString &why) {
        return fail(QStringLiteral("database.object"),
                    QStringLiteral("'%1' is not a table name: %2; write %3").arg(object, why,
                        hasSchemas() ? QStringLiteral("table or schema.table (quote a part that contains a dot: %1)")
                                           .arg(quote(QStringLiteral("my.schema")) + QStringLiteral(".contacts"))
                                     : QStringLiteral("the table's name")));
    };
    if (text.isEmpty())
        return bad(QStringLiteral("it is empty"));
    if (!hasSchemas())
        return TableName{QString(), text.size() > 1 && text.startsWith(m_quote) && text.endsWith(m_quote)
                                        ? text.mid(1, text.size() - 2).replace(QString(2, m_quote), QString(m_quote))
                                        : text};
    const auto parts = splitName(text, m_quote);
    if (!parts || parts->size() > 2)
        return bad(QStringLiteral("it has more than one unquoted dot or an unclosed quote"));
    for (const QString &part : *parts)
        if (part.isEmpty())
            return bad(QStringLiteral("a part of it is empty"));
    if (parts->size() == 1)
        return TableName{QString(), parts->front()};
    return TableName{parts->at(0), parts->at(1)};
}

QString SqlDialect::objectName(const TableName &name, bool inDefaultSchema) const
{
    auto part = [this](const QString &text) {
        return text.contains(QLatin1Char('.')) || text.contains(m_quote) ? quote(text) : text;
    };
    if (!hasSchemas() || inDefaultSchema || name.schema.isEmpty())
        return hasSchemas() ? part(name.table) : name.table;
    return part(name.schema) + QLatin1Char('.') + part(name.table);
}

QString SqlDialect::createTable(const TableName &name, const std::vector<engine::connector::FieldSpec> &fields,
                                const QString &keyField) const
{
    QStringList columns;
    for (const auto &field : fields) {
        const bool isKey = field.name == keyField;
        columns << quote(field.name) + QLatin1Char(' ') + columnType(field.type, isKey)
                       + (isKey ? QStringLiteral(" NOT NULL PRIMARY KEY") : QString());
    }
    return QStringLiteral("CREATE TABLE %1 (%2)").arg(qualified(name), columns.join(QStringLiteral(", ")));
}

bool SqlDialect::isCaseInsensitive(const QString &, const QString &) const { return false; }

std::optional<std::string> SqlDialect::parameterText(std::string_view token, FieldType type) const
{
    if (token.empty() || token == "null")
        return std::nullopt;
    if (token.front() == '"') {
        std::string text;
        if (!engine::mapping::json::decodeString(token, text))
            text.assign(token);
        if (type == FieldType::Timestamp)
            adjustTimestamp(text);
        return text;
    }
    if (token == "true" || token == "false") {
        const bool value = token == "true";
        if (type == FieldType::Boolean || type == FieldType::Integer || type == FieldType::Number)
            return booleanText(value);
        return std::string(token);
    }
    return std::string(token); // numbers, objects and arrays as written
}

bool SqlDialect::isRetryable(const QString &sqlstate, int, const QString &lowerMessage) const
{
    return sqlstate.startsWith(QLatin1String("08")) || sqlstate == QLatin1String("40001")
        || sqlstate == QLatin1String("HYT00") || sqlstate == QLatin1String("HYT01")
        || lowerMessage.contains(QLatin1String("deadlock")) || lowerMessage.contains(QLatin1String("could not serialize"));
}

std::unique_ptr<SqlDialect> makeDialect(Flavor flavor)
{
    switch (flavor) {
    case Flavor::PostgreSQL: return std::make_unique<PostgresDialect>();
    case Flavor::MariaDB: return std::make_unique<MariaDbDialect>();
    case Flavor::SQLite: return std::make_unique<SqliteDialect>();
    }
    return nullptr;
}

} // namespace syncline::connectors::database
