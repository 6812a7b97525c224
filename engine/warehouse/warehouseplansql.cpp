#include "engine/warehouse/warehouseplansql.h"

namespace syncline::engine::warehouse {

namespace {

QString selectList(SqlDialect dialect, const std::vector<Column> &columns)
{
    QStringList names;
    for (const Column &column : columns)
        names << QStringLiteral("m.") + quoteIdentifier(dialect, column.name);
    return names.join(QStringLiteral(", "));
}

QString hashAlias(SqlDialect dialect)
{
    return quoteIdentifier(dialect, QStringLiteral("syncline_source_hash"));
}

} // namespace

QString stateTableName(SqlDialect dialect, const QString &schema, const QString &table)
{
    return quoteIdentifier(dialect, schema) + QLatin1Char('.') + quoteIdentifier(dialect, table);
}

QString createStateTable(SqlDialect dialect, const QString &modelSql, const QString &table,
                         const std::vector<Column> &keyColumns)
{
    const QString text = dialect == SqlDialect::MariaDB ? QStringLiteral("CHAR(32)") : QStringLiteral("VARCHAR(32)");
    return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 AS SELECT %2, CAST(NULL AS %3) AS %4 FROM (%5) m WHERE 1 = 0")
        .arg(table, selectList(dialect, keyColumns), text, hashAlias(dialect), modelSubquery(modelSql));
}

QString createStateMetaTable(SqlDialect dialect, const QString &schema)
{
    return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (state_table VARCHAR(200) PRIMARY KEY, generation BIGINT NOT NULL, "
                          "row_count BIGINT NOT NULL)")
        .arg(stateTableName(dialect, schema, QStringLiteral("syncline_state_meta")));
}

QString warehousePlanQuery(SqlDialect dialect, const QString &modelSql, const QString &table,
                           const std::vector<Column> &modelColumns, const std::vector<Column> &keyColumns,
                           const std::vector<Column> &hashed)
{
    auto keysEqual = [&](const QString &a, const QString &b) {
        QStringList parts;
        for (const Column &key : keyColumns)
            parts << QStringLiteral("%1.%3 = %2.%3").arg(a, b, quoteIdentifier(dialect, key.name));
        return parts.join(QStringLiteral(" AND "));
    };
    QStringList keys;
    for (const Column &key : keyColumns)
        keys << quoteIdentifier(dialect, key.name);
    QStringList removedColumns; // the state's key columns where the model's are, NULL elsewhere
    for (const Column &column : modelColumns) {
        bool isKey = false;
        for (const Column &key : keyColumns)
            isKey = isKey || key.name == column.name;
        removedColumns << (isKey ? QStringLiteral("s.") + quoteIdentifier(dialect, column.name) : QStringLiteral("NULL"));
    }
    const QString hash = hashAlias(dialect);
    // CTEs and UNION ALL rather than FULL JOIN, which MariaDB lacks.
    return QStringLiteral("WITH syncline_m AS (SELECT m.*, %1 AS %2 FROM (%3) m), "
                          "syncline_d AS (SELECT %4 FROM syncline_m GROUP BY %4 HAVING count(*) > 1) "
                          "SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows "
                          "FROM syncline_m m LEFT JOIN %5 s ON %6 "
                          "WHERE s.%2 IS NULL OR s.%2 <> m.%2 OR EXISTS (SELECT 1 FROM syncline_d d WHERE %7) "
                          "UNION ALL SELECT %8, NULL, 1, (SELECT count(*) FROM syncline_m) FROM %5 s "
                          "WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE %6)")
        .arg(sourceHashExpression(dialect, hashed), hash, modelSubquery(modelSql), keys.join(QStringLiteral(", ")), table,
             keysEqual(QStringLiteral("s"), QStringLiteral("m")), keysEqual(QStringLiteral("d"), QStringLiteral("m")),
             removedColumns.join(QStringLiteral(", ")));
}

} // namespace syncline::engine::warehouse
