#include "engine/warehouse/warehouseplansql.h"

#include <algorithm>

// What each dialect's warehouse-mode SQL was checked against (vendor documentation, Dec 2026;
// "docs:" names the page; what the stored documentation did not show is marked "not checked").
// PostgreSQL and MariaDB run for real in tst_changedetection; the others are checked as text in
// tst_warehouseplansql, and the Redshift form also runs on PostgreSQL there (Redshift's SQL is
// PostgreSQL 8-based and everything the statement uses exists in both).
// - Every dialect: the upkeep writes literals, never parameters, so SQL Server's 2,100-parameter
//   limit does not apply; the state table is written only from ledger keys, which are never NULL
//   (the mapper rejects a NULL key column), so plain "=" joins keys: null-safe equality would
//   cost PostgreSQL its hash join and is refused in a PostgreSQL FULL JOIN.
// - SQL Server (T-SQL): no CREATE TABLE ... AS and no CREATE TABLE IF NOT EXISTS, so
//   "IF OBJECT_ID(N'name', N'U') IS NULL" guards SELECT ... INTO (docs: SELECT - INTO clause:
//   each new column has the expression's name, type and nullability, and the IDENTITY property
//   is transferred unless the SELECT contains a join; hence the CROSS JOIN with one constant row,
//   since inserting explicit values into an identity column fails). INSERT ... VALUES takes at
//   most 1,000 rows (error 10738) while a VALUES derived table has no limit (docs: Table Value
//   Constructor), so more rows go through INSERT ... SELECT * FROM (VALUES ...). No row-value
//   IN, so composite keys are deleted with OR of ANDs. HASHBYTES hex from CONVERT(..., 2) is
//   upper case and the state keeps lower case: the statement compares LOWER(). COUNT_BIG, since
//   COUNT is INT. Text keys are also compared as VARBINARY: "=" follows the column's collation
//   (often case-insensitive) and ignores trailing spaces. A CTE referenced twice is evaluated
//   twice (the model count reads the model again, without the hash). Brackets, "]" doubled.
// - Snowflake: CREATE TABLE IF NOT EXISTS ... AS SELECT (docs: CREATE TABLE, CTAS variant);
//   PRIMARY KEY is accepted and not enforced (the meta row is deleted before it is inserted);
//   FULL OUTER JOIN, COUNT(*) OVER (PARTITION BY ...); MD5 gives lower-case hex. Double quotes
//   make names case-sensitive: planner_schema must be spelled as created. Transactions through
//   ODBC autocommit off. Not checked: string collation defaults (binary unless DEFAULT_DDL_COLLATION).
// - BigQuery: CREATE TABLE IF NOT EXISTS ... AS query (docs: DDL statements); the schema is the
//   dataset; PRIMARY KEY only as NOT ENFORCED, so the meta table has none; STRING and INT64;
//   identifiers in backticks with backslash escapes; a DELETE must have a WHERE clause (hence
//   WHERE true); FULL OUTER JOIN needs an equality condition, which the key join is. Not checked
//   in the stored docs: that ODBC manual commit is refused (treated as non-transactional), that
//   a CTE used twice is evaluated twice (the count then reads the model again), the 1 MB limit
//   on a statement's text (500 rows per INSERT stay far below it).
// - Redshift: CREATE TABLE AS has no IF NOT EXISTS (docs: CREATE TABLE AS), so the state table
//   is declared with types from the key columns' kinds (BIGINT, DECIMAL(38, scale),
//   VARCHAR(65535), DATE, TIMESTAMP, TIMESTAMPTZ) by CREATE TABLE IF NOT EXISTS; PRIMARY KEY
//   informational; FULL OUTER JOIN, window COUNT, md5 (lower-case hex); ANALYZE refreshes
//   statistics. No row-value IN is relied on (OR of ANDs). Known limit: VARCHAR comparison
//   ignores trailing blanks (docs: Examples with character types), so text keys that differ
//   only in trailing blanks meet as one key in the join (a length check would break CHAR keys).
// - Databricks (Spark SQL, Delta): CREATE TABLE IF NOT EXISTS ... USING DELTA AS query (docs:
//   CREATE TABLE USING); STRING and BIGINT; backticks, "`" doubled; FULL OUTER JOIN, window
//   COUNT, md5 (lower-case hex). Delta commits each statement on its own (no multi-statement
//   transactions), so the upkeep is not transactional. DELETE without WHERE is allowed on Delta.

namespace syncline::engine::warehouse {

namespace {

const QString kMetaTable = QStringLiteral("syncline_state_meta");

bool sharedForm(SqlDialect dialect)
{
    return dialect == SqlDialect::PostgreSQL || dialect == SqlDialect::MariaDB;
}

QString selectList(SqlDialect dialect, const std::vector<Column> &columns)
{
    QStringList names;
    for (const Column &column : columns)
        names << QStringLiteral("m.") + quoteIdentifier(dialect, column.name);
    return names.join(QStringLiteral(", "));
}

QString nameList(SqlDialect dialect, const std::vector<Column> &columns, const QString &prefix = {})
{
    QStringList names;
    for (const Column &column : columns)
        names << prefix + quoteIdentifier(dialect, column.name);
    return names.join(QStringLiteral(", "));
}

QString hashAlias(SqlDialect dialect)
{
    return quoteIdentifier(dialect, QStringLiteral("syncline_source_hash"));
}

// A string literal: quotes doubled, and backslashes escaped where the dialect reads them.
QString stringLiteral(SqlDialect dialect, QString text)
{
    if (dialect == SqlDialect::BigQuery || dialect == SqlDialect::Databricks) {
        text.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        return QLatin1Char('\'') + text + QLatin1Char('\'');
    }
    if (dialect == SqlDialect::MariaDB || dialect == SqlDialect::Snowflake || dialect == SqlDialect::Redshift)
        text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    text.replace(QLatin1Char('\''), QStringLiteral("''"));
    return (dialect == SqlDialect::SqlServer ? QStringLiteral("N'") : QStringLiteral("'")) + text + QLatin1Char('\'');
}

QString hashType(SqlDialect dialect)
{
    switch (dialect) {
    case SqlDialect::MariaDB:
        return QStringLiteral("CHAR(32)");
    case SqlDialect::BigQuery:
    case SqlDialect::Databricks:
        return QStringLiteral("STRING");
    default:
        return QStringLiteral("VARCHAR(32)");
    }
}

// Redshift's column type for a key of `column`'s kind (it cannot CREATE TABLE IF NOT EXISTS ... AS).
QString redshiftType(const Column &column)
{
    switch (column.kind) {
    case ColumnKind::Integer:
        return QStringLiteral("BIGINT");
    case ColumnKind::Decimal:
        return QStringLiteral("DECIMAL(38, %1)").arg(std::clamp<int>(column.scale, 0, 37));
    case ColumnKind::Date:
        return QStringLiteral("DATE");
    case ColumnKind::Timestamp:
        return QStringLiteral("TIMESTAMP");
    case ColumnKind::TimestampTz:
        return QStringLiteral("TIMESTAMPTZ");
    case ColumnKind::Real:
        return QStringLiteral("DOUBLE PRECISION");
    case ColumnKind::Boolean:
        return QStringLiteral("BOOLEAN");
    default:
        return QStringLiteral("VARCHAR(65535)");
    }
}

// SQL Server's guard for a CREATE: the statement runs only when the table does not exist.
QString unlessSqlServerTableExists(const QString &table)
{
    return QStringLiteral("IF OBJECT_ID(%1, N'U') IS NULL ").arg(stringLiteral(SqlDialect::SqlServer, table));
}

// The FULL OUTER JOIN form (every dialect but PostgreSQL and MariaDB): one pass over the model,
// with the duplicate count as a window, joined once with the state.
QString fullJoinPlanQuery(SqlDialect dialect, const QString &modelSql, const QString &table,
                          const std::vector<Column> &modelColumns, const std::vector<Column> &keyColumns,
                          const std::vector<Column> &hashed)
{
    const QString hash = hashAlias(dialect);
    const bool sqlServer = dialect == SqlDialect::SqlServer;
    QStringList equal;
    for (const Column &key : keyColumns) {
        const QString name = quoteIdentifier(dialect, key.name);
        equal << QStringLiteral("s.%1 = m.%1").arg(name);
        if (sqlServer && key.kind == ColumnKind::Text)
            equal << QStringLiteral("CAST(s.%1 AS VARBINARY(MAX)) = CAST(m.%1 AS VARBINARY(MAX))").arg(name);
    }
    QStringList columns; // a removed row takes its key from the state
    for (const Column &column : modelColumns) {
        const QString name = quoteIdentifier(dialect, column.name);
        bool isKey = false;
        for (const Column &key : keyColumns)
            isKey = isKey || key.name == column.name;
        columns << (isKey ? QStringLiteral("COALESCE(m.%1, s.%1) AS %1").arg(name) : QStringLiteral("m.") + name);
    }
    const QString hashValue = sqlServer ? QStringLiteral("LOWER(%1)").arg(sourceHashExpression(dialect, hashed))
                                        : sourceHashExpression(dialect, hashed);
    const QString count = sqlServer ? QStringLiteral("COUNT_BIG(*)") : QStringLiteral("COUNT(*)");
    const QString dup = quoteIdentifier(dialect, QStringLiteral("syncline_dup"));
    return QStringLiteral("WITH syncline_m AS (SELECT m.*, ") + hashValue + QStringLiteral(" AS ") + hash + QStringLiteral(", ")
        + count + QStringLiteral(" OVER (PARTITION BY ") + selectList(dialect, keyColumns) + QStringLiteral(") AS ") + dup
        + QStringLiteral(" FROM (") + modelSubquery(modelSql) + QStringLiteral(") m) SELECT ") + columns.join(QStringLiteral(", "))
        + QStringLiteral(", m.") + hash + QStringLiteral(", CASE WHEN m.") + hash
        + QStringLiteral(" IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT ") + count
        + QStringLiteral(" FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN ") + table
        + QStringLiteral(" s ON ") + equal.join(QStringLiteral(" AND ")) + QStringLiteral(" WHERE m.") + hash
        + QStringLiteral(" IS NULL OR s.") + hash + QStringLiteral(" IS NULL OR s.") + hash + QStringLiteral(" <> m.") + hash
        + QStringLiteral(" OR m.") + dup + QStringLiteral(" > 1");
}

} // namespace

bool warehousePlanSupported(SqlDialect dialect)
{
    switch (dialect) {
    case SqlDialect::PostgreSQL:
    case SqlDialect::MariaDB:
    case SqlDialect::SqlServer:
    case SqlDialect::Snowflake:
    case SqlDialect::BigQuery:
    case SqlDialect::Redshift:
    case SqlDialect::Databricks:
        return true;
    }
    return false;
}

QString stateTableName(SqlDialect dialect, const QString &schema, const QString &table)
{
    return quoteIdentifier(dialect, schema) + QLatin1Char('.') + quoteIdentifier(dialect, table);
}

QString createStateTable(SqlDialect dialect, const QString &modelSql, const QString &table,
                         const std::vector<Column> &keyColumns)
{
    const QString select = QStringLiteral("SELECT %1, CAST(NULL AS %2) AS %3")
                               .arg(selectList(dialect, keyColumns), hashType(dialect), hashAlias(dialect));
    const QString model = QStringLiteral(" FROM (") + modelSubquery(modelSql) + QStringLiteral(") m");
    switch (dialect) {
    case SqlDialect::SqlServer:
        // The join keeps an identity key column from making the state's column an identity.
        return unlessSqlServerTableExists(table) + select + QStringLiteral(" INTO ") + table + model
            + QStringLiteral(" CROSS JOIN (SELECT 1 AS syncline_one) syncline_z WHERE 1 = 0");
    case SqlDialect::Redshift: {
        QStringList columns;
        for (const Column &key : keyColumns)
            columns << quoteIdentifier(dialect, key.name) + QLatin1Char(' ') + redshiftType(key);
        columns << hashAlias(dialect) + QLatin1Char(' ') + hashType(dialect);
        return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)").arg(table, columns.join(QStringLiteral(", ")));
    }
    case SqlDialect::Databricks:
        return QStringLiteral("CREATE TABLE IF NOT EXISTS ") + table + QStringLiteral(" USING DELTA AS ") + select + model
            + QStringLiteral(" WHERE 1 = 0");
    default:
        return QStringLiteral("CREATE TABLE IF NOT EXISTS ") + table + QStringLiteral(" AS ") + select + model
            + QStringLiteral(" WHERE 1 = 0");
    }
}

QString createStateMetaTable(SqlDialect dialect, const QString &schema)
{
    const QString table = stateTableName(dialect, schema, kMetaTable);
    switch (dialect) {
    case SqlDialect::SqlServer:
        return unlessSqlServerTableExists(table)
            + QStringLiteral("CREATE TABLE %1 (state_table VARCHAR(200) PRIMARY KEY, generation BIGINT NOT NULL, "
                             "row_count BIGINT NOT NULL)")
                  .arg(table);
    case SqlDialect::BigQuery:
        return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (state_table STRING NOT NULL, generation INT64 NOT NULL, "
                              "row_count INT64 NOT NULL)")
            .arg(table);
    case SqlDialect::Databricks:
        return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (state_table STRING NOT NULL, generation BIGINT NOT NULL, "
                              "row_count BIGINT NOT NULL) USING DELTA")
            .arg(table);
    default:
        return QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (state_table VARCHAR(200) PRIMARY KEY, generation BIGINT NOT NULL, "
                              "row_count BIGINT NOT NULL)")
            .arg(table);
    }
}

QString warehousePlanQuery(SqlDialect dialect, const QString &modelSql, const QString &table,
                           const std::vector<Column> &modelColumns, const std::vector<Column> &keyColumns,
                           const std::vector<Column> &hashed)
{
    if (!sharedForm(dialect))
        return fullJoinPlanQuery(dialect, modelSql, table, modelColumns, keyColumns, hashed);
    auto keysEqual = [&](const QString &a, const QString &b) {
        QStringList parts;
        for (const Column &key : keyColumns)
            parts << QStringLiteral("%1.%3 = %2.%3").arg(a, b, quoteIdentifier(dialect, key.name));
        return parts.join(QStringLiteral(" AND "));
    };
    QStringList removedColumns; // the state's key columns where the model's are, NULL elsewhere
    for (const Column &column : modelColumns) {
        bool isKey = false;
        for (const Column &key : keyColumns)
            isKey = isKey || key.name == column.name;
        removedColumns << (isKey ? QStringLiteral("s.") + quoteIdentifier(dialect, column.name) : QStringLiteral("NULL"));
    }
    const QString hash = hashAlias(dialect);
    // CTEs and UNION ALL rather than FULL JOIN, which MariaDB lacks. PostgreSQL 12+ would
    // materialize syncline_m (used four times) with every column: 1M contacts rows cost 3.5 s
    // to write and rescan, where planning each use on the model's own tables costs less (10-13 s
    // for the statement before, 4-6 s after, both with the duplicate check as a join, which
    // stays a hash or merge join however many duplicates there are; EXISTS ran per row).
    const QString materialized = dialect == SqlDialect::PostgreSQL ? QStringLiteral("NOT MATERIALIZED ") : QString();
    return QStringLiteral("WITH syncline_m AS %9(SELECT m.*, %1 AS %2 FROM (%3) m), "
                          "syncline_d AS (SELECT %4 FROM syncline_m GROUP BY %4 HAVING count(*) > 1) "
                          "SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows "
                          "FROM syncline_m m LEFT JOIN %5 s ON %6 LEFT JOIN syncline_d d ON %7 "
                          "WHERE s.%2 IS NULL OR s.%2 <> m.%2 OR d.%10 IS NOT NULL "
                          "UNION ALL SELECT %8, NULL, 1, (SELECT count(*) FROM syncline_m) FROM %5 s "
                          "WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE %6)")
        .arg(sourceHashExpression(dialect, hashed), hash, modelSubquery(modelSql), nameList(dialect, keyColumns), table,
             keysEqual(QStringLiteral("s"), QStringLiteral("m")), keysEqual(QStringLiteral("d"), QStringLiteral("m")),
             removedColumns.join(QStringLiteral(", ")), materialized, quoteIdentifier(dialect, keyColumns.front().name));
}

QString deleteAllStateRows(SqlDialect dialect, const QString &table)
{
    return QStringLiteral("DELETE FROM ") + table + (dialect == SqlDialect::BigQuery ? QStringLiteral(" WHERE true") : QString());
}

QString deleteStateKeys(SqlDialect dialect, const QString &table, const std::vector<Column> &keyColumns,
                        const std::vector<QStringList> &keys)
{
    QStringList tuples;
    if (keyColumns.size() == 1) {
        for (const QStringList &key : keys)
            tuples << key.value(0);
        return QStringLiteral("DELETE FROM ") + table + QStringLiteral(" WHERE ") + quoteIdentifier(dialect, keyColumns.front().name)
            + QStringLiteral(" IN (") + tuples.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    if (sharedForm(dialect)) { // row values: (a, b) IN ((1, 'x'), ...)
        for (const QStringList &key : keys)
            tuples << QLatin1Char('(') + key.join(QStringLiteral(", ")) + QLatin1Char(')');
        return QStringLiteral("DELETE FROM ") + table + QStringLiteral(" WHERE (") + nameList(dialect, keyColumns)
            + QStringLiteral(") IN (") + tuples.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    for (const QStringList &key : keys) { // SQL Server has no row-value IN: OR of ANDs everywhere else
        QStringList parts;
        for (size_t c = 0; c < keyColumns.size(); ++c)
            parts << quoteIdentifier(dialect, keyColumns[c].name) + QStringLiteral(" = ") + key.value(qsizetype(c));
        tuples << QLatin1Char('(') + parts.join(QStringLiteral(" AND ")) + QLatin1Char(')');
    }
    return QStringLiteral("DELETE FROM ") + table + QStringLiteral(" WHERE ") + tuples.join(QStringLiteral(" OR "));
}

QString insertStateRows(SqlDialect dialect, const QString &table, const std::vector<Column> &keyColumns,
                        const QStringList &rows)
{
    if (dialect == SqlDialect::SqlServer && rows.size() > 1000)
        return QStringLiteral("INSERT INTO ") + table + QStringLiteral(" SELECT * FROM (VALUES ") + rows.join(QStringLiteral(", "))
            + QStringLiteral(") AS syncline_v(") + nameList(dialect, keyColumns) + QStringLiteral(", ") + hashAlias(dialect)
            + QLatin1Char(')');
    return QStringLiteral("INSERT INTO ") + table + QStringLiteral(" VALUES ") + rows.join(QStringLiteral(", "));
}

QString countStateRows(SqlDialect dialect, const QString &table)
{
    Q_UNUSED(dialect)
    return QStringLiteral("SELECT count(*) FROM ") + table;
}

QString analyzeStateTable(SqlDialect dialect, const QString &table)
{
    switch (dialect) {
    case SqlDialect::PostgreSQL:
    case SqlDialect::Redshift:
        return QStringLiteral("ANALYZE ") + table;
    case SqlDialect::SqlServer:
        return QStringLiteral("UPDATE STATISTICS ") + table;
    default:
        return {};
    }
}

bool stateUpkeepIsTransactional(SqlDialect dialect)
{
    return dialect != SqlDialect::BigQuery && dialect != SqlDialect::Databricks;
}

QString selectStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable)
{
    return QStringLiteral("SELECT generation, row_count FROM ") + stateTableName(dialect, schema, kMetaTable)
        + QStringLiteral(" WHERE state_table = ") + stringLiteral(dialect, stateTable);
}

QString deleteStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable)
{
    return QStringLiteral("DELETE FROM ") + stateTableName(dialect, schema, kMetaTable) + QStringLiteral(" WHERE state_table = ")
        + stringLiteral(dialect, stateTable);
}

QString insertStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable, qint64 generation,
                        qint64 rows)
{
    return QStringLiteral("INSERT INTO ") + stateTableName(dialect, schema, kMetaTable) + QStringLiteral(" VALUES (")
        + stringLiteral(dialect, stateTable) + QStringLiteral(", ") + QString::number(generation) + QStringLiteral(", ")
        + QString::number(rows) + QLatin1Char(')');
}

QString invalidateStateMeta(SqlDialect dialect, const QString &schema, const QString &stateTable)
{
    return QStringLiteral("UPDATE ") + stateTableName(dialect, schema, kMetaTable)
        + QStringLiteral(" SET generation = -1 WHERE state_table = ") + stringLiteral(dialect, stateTable);
}

} // namespace syncline::engine::warehouse
