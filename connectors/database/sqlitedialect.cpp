#include "connectors/database/sqlitedialect.h"

namespace syncline::connectors::database {

QString SqliteDialect::quote(const QString &identifier) const
{
    QString text = identifier;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString SqliteDialect::columnType(FieldType type, bool) const
{
    switch (type) {
    case FieldType::Text: return QStringLiteral("TEXT");
    case FieldType::Number: return QStringLiteral("NUMERIC");
    case FieldType::Integer: return QStringLiteral("INTEGER");
    case FieldType::Boolean: return QStringLiteral("BOOLEAN");
    case FieldType::Date: return QStringLiteral("DATE");
    case FieldType::Timestamp: return QStringLiteral("TIMESTAMP");
    case FieldType::Json: return QStringLiteral("JSON");
    }
    return QStringLiteral("TEXT");
}

QString SqliteDialect::upsert(const TableName &name, const QStringList &columns, const QString &key,
                              const QStringList &placeholders) const
{
    QStringList quoted, updates;
    for (const QString &column : columns) {
        quoted << quote(column);
        if (column != key)
            updates << quote(column) + QStringLiteral(" = excluded.") + quote(column);
    }
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO %5")
        .arg(qualified(name), quoted.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")), quote(key),
             updates.isEmpty() ? QStringLiteral("NOTHING") : QStringLiteral("UPDATE SET ") + updates.join(QStringLiteral(", ")));
}

CatalogQuery SqliteDialect::tablesQuery() const
{
    return {QStringLiteral("SELECT 'main', name, 1 FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"),
            {}};
}

CatalogQuery SqliteDialect::columnsQuery(const TableName &name) const
{
    return {QStringLiteral(
                "SELECT p.name, p.type, p.type, p.\"notnull\", CASE WHEN p.dflt_value IS NULL THEN 0 ELSE 1 END, "
                "CASE WHEN (p.pk = 1 AND (SELECT COUNT(*) FROM pragma_table_info(?) k WHERE k.pk > 0) = 1) "
                "OR EXISTS (SELECT 1 FROM pragma_index_list(?) il WHERE il.\"unique\" = 1 AND il.partial = 0 "
                "AND (SELECT COUNT(*) FROM pragma_index_info(il.name)) = 1 "
                "AND (SELECT ii.name FROM pragma_index_info(il.name) ii) = p.name) THEN 1 ELSE 0 END, "
                "CASE WHEN p.pk = 1 AND (SELECT COUNT(*) FROM pragma_table_info(?) k WHERE k.pk > 0) = 1 THEN 1 ELSE 0 END, "
                "'' FROM pragma_table_info(?) p ORDER BY p.cid"),
            {name.table, name.table, name.table, name.table}};
}

FieldType SqliteDialect::fieldTypeOf(const QString &baseType, const QString &) const
{
    const QString type = baseType.toUpper();
    if (type.contains(QLatin1String("BOOL")))
        return FieldType::Boolean;
    if (type.contains(QLatin1String("INT")))
        return FieldType::Integer;
    if (type.contains(QLatin1String("TIMESTAMP")) || type.contains(QLatin1String("DATETIME")))
        return FieldType::Timestamp;
    if (type == QLatin1String("DATE"))
        return FieldType::Date;
    if (type.contains(QLatin1String("JSON")))
        return FieldType::Json;
    if (type.contains(QLatin1String("REAL")) || type.contains(QLatin1String("FLOA")) || type.contains(QLatin1String("DOUB"))
        || type.contains(QLatin1String("NUMERIC")) || type.contains(QLatin1String("DECIMAL")))
        return FieldType::Number;
    return FieldType::Text;
}

bool SqliteDialect::isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const
{
    return SqlDialect::isRetryable(sqlstate, nativeCode, lowerMessage) || lowerMessage.contains(QLatin1String("database is locked"))
        || lowerMessage.contains(QLatin1String("database table is locked"));
}

} // namespace syncline::connectors::database
