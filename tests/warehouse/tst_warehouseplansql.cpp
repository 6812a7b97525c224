// The SQL of change detection warehouse for every dialect (state table, its upkeep, the plan
// statement), checked as text: odd identifiers quoted with the dialect's doubling, composite
// keys joined column by column, removed keys and the model's row count in the result, one full
// statement per dialect read by hand. The FULL OUTER JOIN form (SQL Server, Snowflake, BigQuery,
// Redshift, Databricks) also runs on the PostgreSQL test server in its Redshift spelling, whose
// SQL PostgreSQL accepts, and must return what the PostgreSQL statement returns.
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/warehouseplansql.h"

#include <QTest>

#include <set>
#include <tuple>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;

Q_DECLARE_METATYPE(syncline::engine::warehouse::SqlDialect)

namespace {

const std::vector<SqlDialect> kDialects{SqlDialect::PostgreSQL, SqlDialect::MariaDB,  SqlDialect::SqlServer, SqlDialect::Snowflake,
                                        SqlDialect::BigQuery,   SqlDialect::Redshift, SqlDialect::Databricks};

Column column(const QString &name, ColumnKind kind)
{
    Column c;
    c.name = name;
    c.kind = kind;
    return c;
}

// A model with a space and mixed case ("Order ID"), a reserved word ("select") as the composite
// key, and a column holding every dialect's quote character.
const QString kOdd = QStringLiteral("q\"u`o]te");
std::vector<Column> modelColumns()
{
    return {column(QStringLiteral("Order ID"), ColumnKind::Integer), column(QStringLiteral("select"), ColumnKind::Text),
            column(kOdd, ColumnKind::Text)};
}
std::vector<Column> keyColumns()
{
    return {column(QStringLiteral("Order ID"), ColumnKind::Integer), column(QStringLiteral("select"), ColumnKind::Text)};
}
std::vector<Column> hashedColumns()
{
    return {column(kOdd, ColumnKind::Text)};
}
const QString kModel = QStringLiteral("select * from orders");
const QString kSchema = QStringLiteral("sync state");
const QString kTable = QStringLiteral("syncline_state_7_ab");

QString planFor(SqlDialect dialect)
{
    return warehousePlanQuery(dialect, kModel, stateTableName(dialect, kSchema, kTable), modelColumns(), keyColumns(),
                              hashedColumns());
}

bool fullJoinForm(SqlDialect dialect)
{
    return dialect != SqlDialect::PostgreSQL && dialect != SqlDialect::MariaDB;
}

} // namespace

class TestWarehousePlanSql : public QObject
{
    Q_OBJECT
private slots:
    void everyDialectHasCompleteWarehouseSql();
    void oddIdentifiersAreQuotedWithTheDialectsDoubling_data();
    void oddIdentifiersAreQuotedWithTheDialectsDoubling();
    void theStatementReturnsChangesRemovedKeysAndTheModelCount_data();
    void theStatementReturnsChangesRemovedKeysAndTheModelCount();
    void eachDialectsStatementsReadAsCheckedByHand_data();
    void eachDialectsStatementsReadAsCheckedByHand();
    void compositeKeysAreDeletedWithoutRowValuesWhereTheDialectLacksThem();
    void sqlServerInsertsMoreThanAThousandRowsThroughADerivedTable();
    void metaStatementsQuoteTheStateTableName();
    void decimalKeysAreWrittenAsTheirColumnsType();
    void theFullJoinFormRunsOnPostgreSQLAndAgreesWithItsOwnStatement();
};

void TestWarehousePlanSql::everyDialectHasCompleteWarehouseSql()
{
    for (SqlDialect dialect : kDialects) {
        QVERIFY2(warehousePlanSupported(dialect), qPrintable(sqlDialectName(dialect)));
        QVERIFY(!planFor(dialect).isEmpty());
        const QString table = stateTableName(dialect, kSchema, kTable);
        QVERIFY(createStateTable(dialect, kModel, table, keyColumns()).contains(QLatin1String("syncline_source_hash")));
        QVERIFY(createStateMetaTable(dialect, kSchema).contains(QLatin1String("syncline_state_meta")));
    }
    // Only BigQuery and Databricks lack multi-statement transactions through ODBC.
    for (SqlDialect dialect : kDialects)
        QCOMPARE(stateUpkeepIsTransactional(dialect), dialect != SqlDialect::BigQuery && dialect != SqlDialect::Databricks);
}

void TestWarehousePlanSql::oddIdentifiersAreQuotedWithTheDialectsDoubling_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("odd");     // q"u`o]te as the dialect must write it
    QTest::addColumn<QString>("orderId"); // Order ID
    QTest::addColumn<QString>("reserved"); // select
    QTest::addColumn<QString>("table");
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL << QStringLiteral("\"q\"\"u`o]te\"") << QStringLiteral("\"Order ID\"")
                                << QStringLiteral("\"select\"") << QStringLiteral("\"sync state\".\"syncline_state_7_ab\"");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB << QStringLiteral("`q\"u``o]te`") << QStringLiteral("`Order ID`")
                             << QStringLiteral("`select`") << QStringLiteral("`sync state`.`syncline_state_7_ab`");
    QTest::newRow("SQL Server") << SqlDialect::SqlServer << QStringLiteral("[q\"u`o]]te]") << QStringLiteral("[Order ID]")
                                << QStringLiteral("[select]") << QStringLiteral("[sync state].[syncline_state_7_ab]");
    QTest::newRow("Snowflake") << SqlDialect::Snowflake << QStringLiteral("\"q\"\"u`o]te\"") << QStringLiteral("\"Order ID\"")
                               << QStringLiteral("\"select\"") << QStringLiteral("\"sync state\".\"syncline_state_7_ab\"");
    QTest::newRow("BigQuery") << SqlDialect::BigQuery << QStringLiteral("`q\"u\\`o]te`") << QStringLiteral("`Order ID`")
                              << QStringLiteral("`select`") << QStringLiteral("`sync state`.`syncline_state_7_ab`");
    QTest::newRow("Redshift") << SqlDialect::Redshift << QStringLiteral("\"q\"\"u`o]te\"") << QStringLiteral("\"Order ID\"")
                              << QStringLiteral("\"select\"") << QStringLiteral("\"sync state\".\"syncline_state_7_ab\"");
    QTest::newRow("Databricks") << SqlDialect::Databricks << QStringLiteral("`q\"u``o]te`") << QStringLiteral("`Order ID`")
                                << QStringLiteral("`select`") << QStringLiteral("`sync state`.`syncline_state_7_ab`");
}

void TestWarehousePlanSql::oddIdentifiersAreQuotedWithTheDialectsDoubling()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, odd);
    QFETCH(QString, orderId);
    QFETCH(QString, reserved);
    QFETCH(QString, table);
    const QString plan = planFor(dialect);
    QVERIFY2(plan.contains(QStringLiteral("m.") + odd), qPrintable(plan));
    QVERIFY2(plan.contains(table), qPrintable(plan));
    // The quote character never appears undoubled: with it removed from the escaped form, no
    // other occurrence of the name's characters is left.
    QString rest = plan;
    rest.remove(odd);
    QVERIFY2(!rest.contains(QLatin1String("u`o")) && !rest.contains(QLatin1String("o]t")), qPrintable(rest));
    // Composite key: every key column joined, state to model, in key order.
    QVERIFY2(plan.contains(QStringLiteral("s.%1 = m.%1 AND s.%2 = m.%2").arg(orderId, reserved)), qPrintable(plan));
    const QString create = createStateTable(dialect, kModel, table, keyColumns());
    QVERIFY2(create.contains(orderId) && create.contains(reserved), qPrintable(create));
    QVERIFY2(!create.contains(odd), qPrintable(create)); // only the key and the hash are kept
}

void TestWarehousePlanSql::theStatementReturnsChangesRemovedKeysAndTheModelCount_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    for (SqlDialect dialect : kDialects)
        QTest::newRow(qPrintable(sqlDialectName(dialect))) << dialect;
}

void TestWarehousePlanSql::theStatementReturnsChangesRemovedKeysAndTheModelCount()
{
    QFETCH(SqlDialect, dialect);
    const QString plan = planFor(dialect);
    const QString hash = quoteIdentifier(dialect, QStringLiteral("syncline_source_hash"));
    const QString orderId = quoteIdentifier(dialect, QStringLiteral("Order ID"));
    const QString reserved = quoteIdentifier(dialect, QStringLiteral("select"));
    const QString odd = quoteIdentifier(dialect, kOdd);
    // Added (no state row) and NULL keys (never equal to anything) both leave s's hash NULL;
    // changed rows differ in hash.
    QVERIFY2(plan.contains(QStringLiteral("s.%1 IS NULL OR s.%1 <> m.%1").arg(hash)), qPrintable(plan));
    QVERIFY2(plan.contains(QLatin1String("syncline_model_rows")), qPrintable(plan));
    if (!fullJoinForm(dialect)) {
        const QString removed = QStringLiteral("UNION ALL SELECT s.%1, s.%2, NULL, NULL, 1, (SELECT count(*) FROM syncline_m)");
        QVERIFY2(plan.contains(removed.arg(orderId, reserved)), qPrintable(plan));
        return;
    }
    QVERIFY2(plan.contains(QLatin1String(" FULL OUTER JOIN ")), qPrintable(plan));
    // The result's columns, in order: the model's (a removed row's key from the state), the
    // hash, syncline_removed (the model side is absent), the model's row count.
    const QString top = plan.mid(plan.indexOf(QLatin1String(") SELECT ")));
    const QStringList expected{QStringLiteral("COALESCE(m.%1, s.%1) AS %1").arg(orderId),
                               QStringLiteral("COALESCE(m.%1, s.%1) AS %1").arg(reserved),
                               QStringLiteral("m.") + odd, QStringLiteral("m.") + hash,
                               QStringLiteral("CASE WHEN m.%1 IS NULL THEN 1 ELSE 0 END AS syncline_removed").arg(hash),
                               QStringLiteral("FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN")};
    qsizetype at = 0;
    for (const QString &part : expected) {
        const qsizetype found = top.indexOf(part, at);
        QVERIFY2(found >= at, qPrintable(part + QStringLiteral(" after position %1 in ").arg(at) + top));
        at = found + part.size();
    }
    QVERIFY2(plan.contains(QStringLiteral("WHERE m.%1 IS NULL OR").arg(hash)), qPrintable(plan)); // removed keys
    // Duplicated keys: every row of a key the model holds twice is returned.
    QVERIFY2(plan.contains(QStringLiteral("OVER (PARTITION BY m.%1, m.%2)").arg(orderId, reserved)), qPrintable(plan));
    QVERIFY2(plan.endsWith(QStringLiteral(" OR m.%1 > 1").arg(quoteIdentifier(dialect, QStringLiteral("syncline_dup")))), qPrintable(plan));
}

void TestWarehousePlanSql::eachDialectsStatementsReadAsCheckedByHand_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("plan"); // <HASH>: the source hash expression, checked in tst_sourcehashsql
    QTest::addColumn<QString>("create");
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL
        << QStringLiteral("WITH syncline_m AS NOT MATERIALIZED (SELECT m.*, <HASH> AS \"syncline_source_hash\" FROM (select * from orders) m), syncline_d AS (SELECT \"Order ID\", \"select\" FROM syncline_m GROUP BY \"Order ID\", \"select\" HAVING count(*) > 1) SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m LEFT JOIN \"sync state\".\"syncline_state_7_ab\" s ON s.\"Order ID\" = m.\"Order ID\" AND s.\"select\" = m.\"select\" LEFT JOIN syncline_d d ON d.\"Order ID\" = m.\"Order ID\" AND d.\"select\" = m.\"select\" WHERE s.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" <> m.\"syncline_source_hash\" OR d.\"Order ID\" IS NOT NULL UNION ALL SELECT s.\"Order ID\", s.\"select\", NULL, NULL, 1, (SELECT count(*) FROM syncline_m) FROM \"sync state\".\"syncline_state_7_ab\" s WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE s.\"Order ID\" = m.\"Order ID\" AND s.\"select\" = m.\"select\")")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS \"sync state\".\"syncline_state_7_ab\" AS SELECT m.\"Order ID\", m.\"select\", CAST(NULL AS VARCHAR(32)) AS \"syncline_source_hash\" FROM (select * from orders) m WHERE 1 = 0");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, <HASH> AS `syncline_source_hash` FROM (select * from orders) m), syncline_d AS (SELECT `Order ID`, `select` FROM syncline_m GROUP BY `Order ID`, `select` HAVING count(*) > 1) SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m LEFT JOIN `sync state`.`syncline_state_7_ab` s ON s.`Order ID` = m.`Order ID` AND s.`select` = m.`select` LEFT JOIN syncline_d d ON d.`Order ID` = m.`Order ID` AND d.`select` = m.`select` WHERE s.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` <> m.`syncline_source_hash` OR d.`Order ID` IS NOT NULL UNION ALL SELECT s.`Order ID`, s.`select`, NULL, NULL, 1, (SELECT count(*) FROM syncline_m) FROM `sync state`.`syncline_state_7_ab` s WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE s.`Order ID` = m.`Order ID` AND s.`select` = m.`select`)")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS `sync state`.`syncline_state_7_ab` AS SELECT m.`Order ID`, m.`select`, CAST(NULL AS CHAR(32)) AS `syncline_source_hash` FROM (select * from orders) m WHERE 1 = 0");
    QTest::newRow("SqlServer") << SqlDialect::SqlServer
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, LOWER(<HASH>) AS [syncline_source_hash], COUNT_BIG(*) OVER (PARTITION BY m.[Order ID], m.[select]) AS [syncline_dup] FROM (select * from orders) m) SELECT COALESCE(m.[Order ID], s.[Order ID]) AS [Order ID], COALESCE(m.[select], s.[select]) AS [select], m.[q\"u`o]]te], m.[syncline_source_hash], CASE WHEN m.[syncline_source_hash] IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT COUNT_BIG(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN [sync state].[syncline_state_7_ab] s ON s.[Order ID] = m.[Order ID] AND s.[select] = m.[select] AND CAST(s.[select] AS VARBINARY(MAX)) = CAST(m.[select] AS VARBINARY(MAX)) WHERE m.[syncline_source_hash] IS NULL OR s.[syncline_source_hash] IS NULL OR s.[syncline_source_hash] <> m.[syncline_source_hash] OR m.[syncline_dup] > 1")
        << QStringLiteral("IF OBJECT_ID(N'[sync state].[syncline_state_7_ab]', N'U') IS NULL SELECT m.[Order ID], m.[select], CAST(NULL AS VARCHAR(32)) AS [syncline_source_hash] INTO [sync state].[syncline_state_7_ab] FROM (select * from orders) m CROSS JOIN (SELECT 1 AS syncline_one) syncline_z WHERE 1 = 0");
    QTest::newRow("Snowflake") << SqlDialect::Snowflake
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, <HASH> AS \"syncline_source_hash\", COUNT(*) OVER (PARTITION BY m.\"Order ID\", m.\"select\") AS \"syncline_dup\" FROM (select * from orders) m) SELECT COALESCE(m.\"Order ID\", s.\"Order ID\") AS \"Order ID\", COALESCE(m.\"select\", s.\"select\") AS \"select\", m.\"q\"\"u`o]te\", m.\"syncline_source_hash\", CASE WHEN m.\"syncline_source_hash\" IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT COUNT(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN \"sync state\".\"syncline_state_7_ab\" s ON s.\"Order ID\" = m.\"Order ID\" AND s.\"select\" = m.\"select\" WHERE m.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" <> m.\"syncline_source_hash\" OR m.\"syncline_dup\" > 1")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS \"sync state\".\"syncline_state_7_ab\" AS SELECT m.\"Order ID\", m.\"select\", CAST(NULL AS VARCHAR(32)) AS \"syncline_source_hash\" FROM (select * from orders) m WHERE 1 = 0");
    QTest::newRow("BigQuery") << SqlDialect::BigQuery
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, <HASH> AS `syncline_source_hash`, COUNT(*) OVER (PARTITION BY m.`Order ID`, m.`select`) AS `syncline_dup` FROM (select * from orders) m) SELECT COALESCE(m.`Order ID`, s.`Order ID`) AS `Order ID`, COALESCE(m.`select`, s.`select`) AS `select`, m.`q\"u\\`o]te`, m.`syncline_source_hash`, CASE WHEN m.`syncline_source_hash` IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT COUNT(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN `sync state`.`syncline_state_7_ab` s ON s.`Order ID` = m.`Order ID` AND s.`select` = m.`select` WHERE m.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` <> m.`syncline_source_hash` OR m.`syncline_dup` > 1")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS `sync state`.`syncline_state_7_ab` AS SELECT m.`Order ID`, m.`select`, CAST(NULL AS STRING) AS `syncline_source_hash` FROM (select * from orders) m WHERE 1 = 0");
    QTest::newRow("Redshift") << SqlDialect::Redshift
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, <HASH> AS \"syncline_source_hash\", COUNT(*) OVER (PARTITION BY m.\"Order ID\", m.\"select\") AS \"syncline_dup\" FROM (select * from orders) m) SELECT COALESCE(m.\"Order ID\", s.\"Order ID\") AS \"Order ID\", COALESCE(m.\"select\", s.\"select\") AS \"select\", m.\"q\"\"u`o]te\", m.\"syncline_source_hash\", CASE WHEN m.\"syncline_source_hash\" IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT COUNT(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN \"sync state\".\"syncline_state_7_ab\" s ON s.\"Order ID\" = m.\"Order ID\" AND s.\"select\" = m.\"select\" WHERE m.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" <> m.\"syncline_source_hash\" OR m.\"syncline_dup\" > 1")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS \"sync state\".\"syncline_state_7_ab\" (\"Order ID\" BIGINT, \"select\" VARCHAR(65535), \"syncline_source_hash\" VARCHAR(32))");
    QTest::newRow("Databricks") << SqlDialect::Databricks
        << QStringLiteral("WITH syncline_m AS (SELECT m.*, <HASH> AS `syncline_source_hash`, COUNT(*) OVER (PARTITION BY m.`Order ID`, m.`select`) AS `syncline_dup` FROM (select * from orders) m) SELECT COALESCE(m.`Order ID`, s.`Order ID`) AS `Order ID`, COALESCE(m.`select`, s.`select`) AS `select`, m.`q\"u``o]te`, m.`syncline_source_hash`, CASE WHEN m.`syncline_source_hash` IS NULL THEN 1 ELSE 0 END AS syncline_removed, (SELECT COUNT(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m FULL OUTER JOIN `sync state`.`syncline_state_7_ab` s ON s.`Order ID` = m.`Order ID` AND s.`select` = m.`select` WHERE m.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` <> m.`syncline_source_hash` OR m.`syncline_dup` > 1")
        << QStringLiteral("CREATE TABLE IF NOT EXISTS `sync state`.`syncline_state_7_ab` USING DELTA AS SELECT m.`Order ID`, m.`select`, CAST(NULL AS STRING) AS `syncline_source_hash` FROM (select * from orders) m WHERE 1 = 0");
}

void TestWarehousePlanSql::eachDialectsStatementsReadAsCheckedByHand()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, plan);
    QFETCH(QString, create);
    QCOMPARE(planFor(dialect), plan.replace(QLatin1String("<HASH>"), sourceHashExpression(dialect, hashedColumns())));
    QCOMPARE(createStateTable(dialect, kModel, stateTableName(dialect, kSchema, kTable), keyColumns()), create);
}

void TestWarehousePlanSql::compositeKeysAreDeletedWithoutRowValuesWhereTheDialectLacksThem()
{
    const std::vector<QStringList> keys{{QStringLiteral("1"), QStringLiteral("'a'")}, {QStringLiteral("2"), QStringLiteral("'b'")}};
    for (SqlDialect dialect : kDialects) {
        const QString table = stateTableName(dialect, kSchema, kTable);
        const QString a = quoteIdentifier(dialect, QStringLiteral("Order ID"));
        const QString b = quoteIdentifier(dialect, QStringLiteral("select"));
        const QString sql = deleteStateKeys(dialect, table, keyColumns(), keys);
        if (fullJoinForm(dialect))
            QCOMPARE(sql, QStringLiteral("DELETE FROM %1 WHERE (%2 = 1 AND %3 = 'a') OR (%2 = 2 AND %3 = 'b')").arg(table, a, b));
        else
            QCOMPARE(sql, QStringLiteral("DELETE FROM %1 WHERE (%2, %3) IN ((1, 'a'), (2, 'b'))").arg(table, a, b));
        QCOMPARE(deleteStateKeys(dialect, table, {keyColumns().front()}, {{QStringLiteral("1")}, {QStringLiteral("2")}}),
                 QStringLiteral("DELETE FROM %1 WHERE %2 IN (1, 2)").arg(table, a));
        // BigQuery refuses a DELETE without WHERE.
        QCOMPARE(deleteAllStateRows(dialect, table).endsWith(QLatin1String(" WHERE true")), dialect == SqlDialect::BigQuery);
    }
}

void TestWarehousePlanSql::sqlServerInsertsMoreThanAThousandRowsThroughADerivedTable()
{
    const QString table = stateTableName(SqlDialect::SqlServer, kSchema, kTable);
    QStringList rows;
    for (int i = 0; i < 1000; ++i)
        rows << QStringLiteral("(%1, N'k', NULL)").arg(i);
    QCOMPARE(insertStateRows(SqlDialect::SqlServer, table, keyColumns(), rows),
             QStringLiteral("INSERT INTO %1 VALUES ").arg(table) + rows.join(QStringLiteral(", ")));
    rows << QStringLiteral("(1000, N'k', NULL)");
    QCOMPARE(insertStateRows(SqlDialect::SqlServer, table, keyColumns(), rows),
             QStringLiteral("INSERT INTO %1 SELECT * FROM (VALUES ").arg(table) + rows.join(QStringLiteral(", "))
                 + QStringLiteral(") AS syncline_v([Order ID], [select], [syncline_source_hash])"));
    // Elsewhere one VALUES list, whatever its length.
    QVERIFY(insertStateRows(SqlDialect::Snowflake, stateTableName(SqlDialect::Snowflake, kSchema, kTable), keyColumns(), rows)
                .startsWith(QLatin1String("INSERT INTO \"sync state\".\"syncline_state_7_ab\" VALUES (0, ")));
}

void TestWarehousePlanSql::metaStatementsQuoteTheStateTableName()
{
    const QString name = QStringLiteral("it's");
    QCOMPARE(selectStateMeta(SqlDialect::PostgreSQL, kSchema, name),
             QStringLiteral("SELECT generation, row_count FROM \"sync state\".\"syncline_state_meta\" WHERE state_table = 'it''s'"));
    QCOMPARE(deleteStateMeta(SqlDialect::SqlServer, kSchema, name),
             QStringLiteral("DELETE FROM [sync state].[syncline_state_meta] WHERE state_table = N'it''s'"));
    QCOMPARE(insertStateMeta(SqlDialect::BigQuery, kSchema, name, 3, 42),
             QStringLiteral("INSERT INTO `sync state`.`syncline_state_meta` VALUES ('it\\'s', 3, 42)"));
    QCOMPARE(invalidateStateMeta(SqlDialect::Databricks, kSchema, name),
             QStringLiteral("UPDATE `sync state`.`syncline_state_meta` SET generation = -1 WHERE state_table = 'it\\'s'"));
    QCOMPARE(createStateMetaTable(SqlDialect::SqlServer, QStringLiteral("a]b")),
             QStringLiteral("IF OBJECT_ID(N'[a]]b].[syncline_state_meta]', N'U') IS NULL CREATE TABLE [a]]b].[syncline_state_meta] "
                            "(state_table VARCHAR(200) PRIMARY KEY, generation BIGINT NOT NULL, row_count BIGINT NOT NULL)"));
    QCOMPARE(createStateMetaTable(SqlDialect::BigQuery, kSchema),
             QStringLiteral("CREATE TABLE IF NOT EXISTS `sync state`.`syncline_state_meta` (state_table STRING NOT NULL, "
                            "generation INT64 NOT NULL, row_count INT64 NOT NULL)"));
}

void TestWarehousePlanSql::decimalKeysAreWrittenAsTheirColumnsType()
{
    QCOMPARE(keyLiteral(SqlDialect::BigQuery, ColumnKind::Decimal, QStringLiteral("-12.50")), QStringLiteral("NUMERIC '-12.50'"));
    QCOMPARE(keyLiteral(SqlDialect::Databricks, ColumnKind::Decimal, QStringLiteral("-12.50")), QStringLiteral("-12.50BD"));
    QVERIFY(!keyLiteral(SqlDialect::Databricks, ColumnKind::Decimal, QStringLiteral("1 2")));
    QCOMPARE(keyLiteral(SqlDialect::Snowflake, ColumnKind::Decimal, QStringLiteral("-12.50")), QStringLiteral("'-12.50'"));
    QCOMPARE(keyLiteral(SqlDialect::BigQuery, ColumnKind::Date, QStringLiteral("2026-12-01")), QStringLiteral("'2026-12-01'"));
}

void TestWarehousePlanSql::theFullJoinFormRunsOnPostgreSQLAndAgreesWithItsOwnStatement()
{
    const QString full = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
    if (full.isEmpty())
        QSKIP("SYNCLINE_TEST_PG_ODBC is not set (source scripts/test-services.sh and start PostgreSQL)");
    auto attributes = parseConnectionString(full);
    QVERIFY(attributes);
    ConnectionSpec spec;
    spec.password = attributeValue(*attributes, QStringLiteral("PWD"));
    std::erase_if(*attributes, [](const ConnectionAttribute &a) { return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0; });
    spec.connectionString = buildConnectionString(*attributes);
    auto connection = OdbcConnection::open(spec);
    QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().toString()));
    OdbcConnection &db = **connection;
    auto exec = [&](const QString &sql) {
        auto done = db.executeUpdate(sql);
        QVERIFY2(done, qPrintable(sql + QLatin1Char('\n') + (done ? QString() : done.error().toString())));
    };
    // Redshift's spelling: the FULL OUTER JOIN statement, a typed state table, OR-of-AND deletes.
    const SqlDialect redshift = SqlDialect::Redshift;
    const QString table = stateTableName(redshift, kSchema, kTable);
    exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS \"sync state\""));
    exec(QStringLiteral("DROP TABLE IF EXISTS \"sync state\".\"Orders\", %1, \"sync state\".\"syncline_state_meta\"").arg(table));
    exec(QStringLiteral("CREATE TABLE \"sync state\".\"Orders\" (\"Order ID\" int, \"select\" text, \"q\"\"u`o]te\" text)"));
    // 1 unchanged, 2 changed, 3 added, 5 twice (duplicated), a NULL key part, 6 whose state has
    // no hash; 4 is in the state only (removed).
    exec(QStringLiteral("INSERT INTO \"sync state\".\"Orders\" VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', 'z'), "
                        "(5, 'e', 'd1'), (5, 'e', 'd2'), (NULL, 'n', 'w'), (6, 'f', 'v')"));
    const QString model = QStringLiteral("SELECT * FROM \"sync state\".\"Orders\"");
    exec(createStateMetaTable(redshift, kSchema));
    exec(createStateTable(redshift, model, table, keyColumns()));
    exec(createStateTable(redshift, model, table, keyColumns())); // a second time: already there
    // The state holds the warehouse's own hash for 1 and 5, another for 2, none for 6.
    // Each dialect's own hash of keys 1 and 5 (PostgreSQL's is hashtextextended, Redshift's MD5).
    auto hashesOf1And5 = [&](SqlDialect dialect, QString &hashOf1, QString &hashOf5) {
        auto cursor = db.execute(hashQuery(dialect, model, keyColumns(), hashedColumns()));
        QVERIFY2(cursor, qPrintable(cursor ? QString() : cursor.error().toString()));
        RowBatch batch;
        while ((*cursor)->fetch(batch).value_or(false))
            for (int r = 0; r < batch.rowCount(); ++r) {
                const QString hash = QString::fromUtf8(batch.text(r, 2).data(), qsizetype(batch.text(r, 2).size()));
                if (!batch.isNull(r, 0) && batch.integer(r, 0) == 1)
                    hashOf1 = hash;
                if (!batch.isNull(r, 0) && batch.integer(r, 0) == 5 && hashOf5.isEmpty())
                    hashOf5 = hash;
            }
    };
    QString hashOf1, hashOf5;
    hashesOf1And5(redshift, hashOf1, hashOf5);
    QCOMPARE(hashOf1.size(), 32);
    auto literal = [&](ColumnKind kind, const QString &value) { return *keyLiteral(redshift, kind, value); };
    const QString text = literal(ColumnKind::Text, QStringLiteral("it's"));
    exec(insertStateRows(redshift, table, keyColumns(),
                         {QStringLiteral("(1, %1, '%2')").arg(literal(ColumnKind::Text, QStringLiteral("a")), hashOf1),
                          QStringLiteral("(2, %1, '00000000000000000000000000000000')").arg(literal(ColumnKind::Text, QStringLiteral("b"))),
                          QStringLiteral("(4, %1, '%2')").arg(literal(ColumnKind::Text, QStringLiteral("d")), hashOf1),
                          QStringLiteral("(5, %1, '%2')").arg(literal(ColumnKind::Text, QStringLiteral("e")), hashOf5),
                          QStringLiteral("(6, %1, NULL)").arg(literal(ColumnKind::Text, QStringLiteral("f"))),
                          QStringLiteral("(9, %1, NULL)").arg(text),
                          QStringLiteral("(9, %1, NULL)").arg(literal(ColumnKind::Text, QStringLiteral("z")))}));
    // The composite delete removes exactly (9, 'it''s') and (9, 'z'), not every 9 or every 'z'.
    const QString z = literal(ColumnKind::Text, QStringLiteral("z"));
    exec(deleteStateKeys(redshift, table, keyColumns(),
                         {{QStringLiteral("9"), text}, {QStringLiteral("9"), z}, {QStringLiteral("1"), z}}));
    exec(deleteStateMeta(redshift, kSchema, kTable));
    exec(insertStateMeta(redshift, kSchema, kTable, 3, 5));
    auto integers = [&](const QString &sql) {
        std::vector<qint64> values;
        auto cursor = db.execute(sql);
        if (!cursor)
            return values;
        RowBatch batch;
        while ((*cursor)->fetch(batch).value_or(false))
            for (int r = 0; r < batch.rowCount(); ++r)
                for (int c = 0; c < batch.columnCount(); ++c)
                    values.push_back(batch.integer(r, c));
        return values;
    };
    QCOMPARE(integers(countStateRows(redshift, table)), std::vector<qint64>{5});
    QCOMPARE(integers(selectStateMeta(redshift, kSchema, kTable)), (std::vector<qint64>{3, 5}));
    exec(invalidateStateMeta(redshift, kSchema, kTable));
    QCOMPARE(integers(selectStateMeta(redshift, kSchema, kTable)), (std::vector<qint64>{-1, 5}));

    // (key, select, removed) of every row a statement returns, and the model count it reports.
    using Returned = std::multiset<std::tuple<qint64, QString, qint64>>;
    auto run = [&](SqlDialect dialect, Returned &rows, std::set<qint64> &counts) {
        auto cursor = db.execute(warehousePlanQuery(dialect, model, stateTableName(dialect, kSchema, kTable), modelColumns(),
                                                    keyColumns(), hashedColumns()));
        QVERIFY2(cursor, qPrintable(cursor ? QString() : cursor.error().toString()));
        QCOMPARE((*cursor)->columns().size(), modelColumns().size() + 3);
        RowBatch batch;
        while ((*cursor)->fetch(batch).value_or(false))
            for (int r = 0; r < batch.rowCount(); ++r) {
                rows.insert({batch.isNull(r, 0) ? -1 : batch.integer(r, 0),
                             QString::fromUtf8(batch.text(r, 1).data(), qsizetype(batch.text(r, 1).size())), batch.integer(r, 4)});
                counts.insert(batch.integer(r, 5));
            }
    };
    Returned fullJoin, shared;
    std::set<qint64> fullJoinCounts, sharedCounts;
    run(redshift, fullJoin, fullJoinCounts);
    // The same state as PostgreSQL's own statement would see it: its hashes for 1 and 5.
    QString postgresHashOf1, postgresHashOf5;
    hashesOf1And5(SqlDialect::PostgreSQL, postgresHashOf1, postgresHashOf5);
    QCOMPARE(postgresHashOf1.size(), 32);
    exec(QStringLiteral("UPDATE %1 SET syncline_source_hash = '%2' WHERE \"Order ID\" = 1").arg(table, postgresHashOf1));
    exec(QStringLiteral("UPDATE %1 SET syncline_source_hash = '%2' WHERE \"Order ID\" = 5").arg(table, postgresHashOf5));
    run(SqlDialect::PostgreSQL, shared, sharedCounts);
    exec(QStringLiteral("DROP TABLE \"sync state\".\"Orders\", %1, \"sync state\".\"syncline_state_meta\"").arg(table));
    exec(QStringLiteral("DROP SCHEMA \"sync state\""));
    const Returned expected{{2, QStringLiteral("b"), 0},  {3, QStringLiteral("c"), 0}, {5, QStringLiteral("e"), 0},
                            {5, QStringLiteral("e"), 0},  {-1, QStringLiteral("n"), 0}, {6, QStringLiteral("f"), 0},
                            {4, QStringLiteral("d"), 1}};
    QCOMPARE(fullJoin, expected);
    QCOMPARE(shared, expected);
    QCOMPARE(fullJoinCounts, std::set<qint64>{7});
    QCOMPARE(sharedCounts, std::set<qint64>{7});
}

QTEST_GUILESS_MAIN(TestWarehousePlanSql)
#include "tst_warehouseplansql.moc"
