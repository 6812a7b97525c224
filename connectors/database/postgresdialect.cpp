#include "connectors/database/postgresdialect.h"

namespace syncline::connectors::database {

QString PostgresDialect::quote(const QString &identifier) const
{
    QString text = identifier;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString PostgresDialect::columnType(FieldType type, bool) const
{
    switch (type) {
    case FieldType::Text: return QStringLiteral("text");
    case FieldType::Number: return QStringLiteral("numeric");
    case FieldType::Integer: return QStringLiteral("bigint");
    case FieldType::Boolean: return QStringLiteral("boolean");
    case FieldType::Date: return QStringLiteral("date");
    case FieldType::Timestamp: return QStringLiteral("timestamptz");
    case FieldType::Json: return QStringLiteral("jsonb");
    }
    return QStringLiteral("text");
}

QString PostgresDialect::upsert(const TableName &name, const QStringList &columns, const QString &key,
                                const QStringList &placeholders) const
{
    QStringList quoted, updates;
    for (const QString &column : columns) {
        quoted << quote(column);
        if (column != key)
            updates << quote(column) + QStringLiteral(" = EXCLUDED.") + quote(column);
    }
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO %5")
        .arg(qualified(name), quoted.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")), quote(key),
             updates.isEmpty() ? QStringLiteral("NOTHING") : QStringLiteral("UPDATE SET ") + updates.join(QStringLiteral(", ")));
}

CatalogQuery PostgresDialect::tablesQuery() const
{
    return {QStringLiteral("SELECT table_schema, table_name, CASE WHEN table_schema = current_schema() THEN 1 ELSE 0 END "
                           "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                           "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 3 DESC, 1, 2"),
            {}};
}

CatalogQuery PostgresDialect::columnsQuery(const TableName &name) const
{
    // One-column unique indexes without a predicate identify a row; so does a one-column key.
    return {QStringLiteral(
                "SELECT a.attname, format_type(a.atttypid, NULL), format_type(a.atttypid, a.atttypmod), "
                "CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
                "CASE WHEN a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' THEN 1 ELSE 0 END, "
                "CASE WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique "
                "AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL) THEN 1 ELSE 0 END, "
                "CASE WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary "
                "AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum) THEN 1 ELSE 0 END, '' "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = COALESCE(NULLIF(CAST(? AS text), ''), current_schema()::text) "
                "AND c.relname = CAST(? AS text) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum"),
            {name.schema, name.table}};
}

FieldType PostgresDialect::fieldTypeOf(const QString &baseType, const QString &) const
{
    const QString type = baseType.toLower();
    if (type == QLatin1String("bigint") || type == QLatin1String("integer") || type == QLatin1String("smallint"))
        return FieldType::Integer;
    if (type == QLatin1String("numeric") || type == QLatin1String("double precision") || type == QLatin1String("real"))
        return FieldType::Number;
    if (type == QLatin1String("boolean"))
        return FieldType::Boolean;
    if (type == QLatin1String("date"))
        return FieldType::Date;
    if (type.startsWith(QLatin1String("timestamp")))
        return FieldType::Timestamp;
    if (type == QLatin1String("json") || type == QLatin1String("jsonb"))
        return FieldType::Json;
    return FieldType::Text;
}

bool PostgresDialect::isCaseInsensitive(const QString &baseType, const QString &) const
{
    return baseType.compare(QLatin1String("citext"), Qt::CaseInsensitive) == 0;
}

QString PostgresDialect::placeholder(const TableColumn &column) const
{
    // The type without modifiers: a cast to varchar(10) would cut a long value silently.
    const QString type = column.castType.isEmpty() ? columnType(column.type, false) : column.castType;
    return QStringLiteral("CAST(? AS %1)").arg(type);
}

bool PostgresDialect::isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const
{
    return SqlDialect::isRetryable(sqlstate, nativeCode, lowerMessage) || sqlstate == QLatin1String("40P01")
        || sqlstate == QLatin1String("57P01") || sqlstate == QLatin1String("57P03")
        || lowerMessage.contains(QLatin1String("server closed the connection"))
        || lowerMessage.contains(QLatin1String("could not send data to server"))
        || lowerMessage.contains(QLatin1String("no connection to the server"));
}

} // namespace syncline::connectors::database
