#include "connectors/database/mariadbdialect.h"

namespace syncline::connectors::database {

QString MariaDbDialect::quote(const QString &identifier) const
{
    QString text = identifier;
    text.replace(QLatin1Char('`'), QStringLiteral("``"));
    return QLatin1Char('`') + text + QLatin1Char('`');
}

QString MariaDbDialect::columnType(FieldType type, bool isKey) const
{
    switch (type) {
    case FieldType::Text:
        return isKey ? QStringLiteral("VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin") : QStringLiteral("LONGTEXT");
    case FieldType::Number: return QStringLiteral("DOUBLE");
    case FieldType::Integer: return QStringLiteral("BIGINT");
    case FieldType::Boolean: return QStringLiteral("BOOLEAN");
    case FieldType::Date: return QStringLiteral("DATE");
    case FieldType::Timestamp: return QStringLiteral("DATETIME(6)");
    case FieldType::Json: return isKey ? QStringLiteral("VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin") : QStringLiteral("JSON");
    }
    return QStringLiteral("LONGTEXT");
}

QString MariaDbDialect::createTable(const TableName &name, const std::vector<engine::connector::FieldSpec> &fields,
                                    const QString &keyField) const
{
    return SqlDialect::createTable(name, fields, keyField) + QStringLiteral(" DEFAULT CHARSET=utf8mb4");
}

QString MariaDbDialect::upsert(const TableName &name, const QStringList &columns, const QString &key,
                               const QStringList &placeholders) const
{
    QStringList quoted, updates;
    for (const QString &column : columns) {
        quoted << quote(column);
        if (column != key)
            updates << quote(column) + QStringLiteral(" = VALUES(") + quote(column) + QLatin1Char(')');
    }
    if (updates.isEmpty())
        updates << quote(key) + QStringLiteral(" = ") + quote(key);
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON DUPLICATE KEY UPDATE %4")
        .arg(qualified(name), quoted.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")),
             updates.join(QStringLiteral(", ")));
}

CatalogQuery MariaDbDialect::tablesQuery() const
{
    return {QStringLiteral("SELECT TABLE_SCHEMA, TABLE_NAME, 1 FROM information_schema.TABLES "
                           "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"),
            {}};
}

CatalogQuery MariaDbDialect::columnsQuery(const TableName &name) const
{
    return {QStringLiteral(
                "SELECT c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, CASE WHEN c.IS_NULLABLE = 'NO' THEN 1 ELSE 0 END, "
                "CASE WHEN c.COLUMN_DEFAULT IS NOT NULL OR c.EXTRA LIKE '%auto_increment%' OR c.EXTRA LIKE '%GENERATED%' "
                "THEN 1 ELSE 0 END, "
                "CASE WHEN EXISTS (SELECT 1 FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA "
                "AND s.TABLE_NAME = c.TABLE_NAME AND s.COLUMN_NAME = c.COLUMN_NAME AND s.NON_UNIQUE = 0 "
                "AND (SELECT COUNT(*) FROM information_schema.STATISTICS t WHERE t.TABLE_SCHEMA = s.TABLE_SCHEMA "
                "AND t.TABLE_NAME = s.TABLE_NAME AND t.INDEX_NAME = s.INDEX_NAME) = 1) THEN 1 ELSE 0 END, "
                "CASE WHEN EXISTS (SELECT 1 FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA "
                "AND s.TABLE_NAME = c.TABLE_NAME AND s.COLUMN_NAME = c.COLUMN_NAME AND s.INDEX_NAME = 'PRIMARY' "
                "AND (SELECT COUNT(*) FROM information_schema.STATISTICS t WHERE t.TABLE_SCHEMA = s.TABLE_SCHEMA "
                "AND t.TABLE_NAME = s.TABLE_NAME AND t.INDEX_NAME = 'PRIMARY') = 1) THEN 1 ELSE 0 END, "
                "COALESCE(c.COLLATION_NAME, '') FROM information_schema.COLUMNS c "
                "WHERE c.TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND c.TABLE_NAME = ? ORDER BY c.ORDINAL_POSITION"),
            {name.schema, name.table}};
}

FieldType MariaDbDialect::fieldTypeOf(const QString &baseType, const QString &fullType) const
{
    const QString type = baseType.toLower();
    if (fullType.startsWith(QLatin1String("tinyint(1)"), Qt::CaseInsensitive))
        return FieldType::Boolean;
    if (type.endsWith(QLatin1String("int")))
        return FieldType::Integer;
    if (type == QLatin1String("decimal") || type == QLatin1String("double") || type == QLatin1String("float"))
        return FieldType::Number;
    if (type == QLatin1String("date"))
        return FieldType::Date;
    if (type == QLatin1String("datetime") || type == QLatin1String("timestamp"))
        return FieldType::Timestamp;
    if (type == QLatin1String("json"))
        return FieldType::Json;
    return FieldType::Text;
}

bool MariaDbDialect::isCaseInsensitive(const QString &, const QString &collation) const
{
    return collation.endsWith(QLatin1String("_ci"), Qt::CaseInsensitive);
}

bool MariaDbDialect::isRetryable(const QString &sqlstate, int nativeCode, const QString &lowerMessage) const
{
    // 1213 deadlock, 1205 lock wait timeout, 2006 server gone away, 2013 lost connection.
    return SqlDialect::isRetryable(sqlstate, nativeCode, lowerMessage) || nativeCode == 1213 || nativeCode == 1205
        || nativeCode == 2006 || nativeCode == 2013 || lowerMessage.contains(QLatin1String("server has gone away"))
        || lowerMessage.contains(QLatin1String("lost connection"));
}

void MariaDbDialect::adjustTimestamp(std::string &text) const
{
    // "2024-03-01T10:15:00Z" (UTC; the session time zone is UTC) -> "2024-03-01 10:15:00".
    if (text.size() > 10 && text[10] == 'T')
        text[10] = ' ';
    if (!text.empty() && (text.back() == 'Z' || text.back() == 'z'))
        text.pop_back();
}

} // namespace syncline::connectors::database
