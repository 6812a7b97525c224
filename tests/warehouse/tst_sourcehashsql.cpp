// The SQL change detection sends to each warehouse dialect, checked as text (the statement
// each dialect gets, quoting of odd identifiers, literals), and, for PostgreSQL and MariaDB,
// run on the test servers: NULL, '', the string 'NULL' and shifted boundaries between values
// must hash apart, floats by their exact value, and equal rows alike.
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/sourcehashsql.h"
#include "engine/warehouse/warehouseplansql.h"

#include <QSet>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;

Q_DECLARE_METATYPE(syncline::engine::warehouse::SqlDialect)

namespace {

Column column(const QString &name, ColumnKind kind)
{
    Column c;
    c.name = name;
    c.kind = kind;
    return c;
}

} // namespace

class TestSourceHashSql : public QObject
{
    Q_OBJECT
private slots:
    void hashQueryWrapsTheModelAndHashesOnlyTheGivenColumns_data();
    void hashQueryWrapsTheModelAndHashesOnlyTheGivenColumns();
    void identifiersWithQuotesAreEscaped_data();
    void identifiersWithQuotesAreEscaped();
    void keyLiteralsNeedNoTrustInTheServersEscaping_data();
    void keyLiteralsNeedNoTrustInTheServersEscaping();
    void everyDialectFramesValuesAndMarksNullApart();
    void fetchQueryListsKeysAsTuples();
    void aModelEndingInACommentIsStillClosed();
    void warehouseStatementReturnsOnlyWhatDiffersFromTheStateTable_data();
    void warehouseStatementReturnsOnlyWhatDiffersFromTheStateTable();
    void dialectsAreRecognisedFromTheDbmsName();
    void renderingSeparatesNullEmptyTheWordNullAndBoundaries_data();
    void renderingSeparatesNullEmptyTheWordNullAndBoundaries();
};

void TestSourceHashSql::hashQueryWrapsTheModelAndHashesOnlyTheGivenColumns_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("expected");
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL
                         << QStringLiteral("SELECT m.\"id\", lpad(to_hex(hashtextextended(ROW(m.\"we\"\"ird`]\", float8send(m.\"score\"::float8))::text, 0)), 32, '0') AS \"syncline_source_hash\" FROM (select * from t) m");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB
                         << QStringLiteral("SELECT m.`id`, MD5(CONCAT(COALESCE(CONCAT('V', CHAR_LENGTH(CONVERT(m.`we\"ird``]` USING utf8mb4)), ':', CONVERT(m.`we\"ird``]` USING utf8mb4)), 'N'), COALESCE(CONCAT('V', CHAR_LENGTH(CAST(m.`score` AS CHAR)), ':', CAST(m.`score` AS CHAR)), 'N'))) AS `syncline_source_hash` FROM (select * from t) m");
    QTest::newRow("SqlServer") << SqlDialect::SqlServer
                         << QStringLiteral("SELECT m.[id], CONVERT(VARCHAR(32), HASHBYTES('MD5', CAST(COALESCE(N'V' + CAST(DATALENGTH(CAST(m.[we\"ird`]]] AS NVARCHAR(MAX))) AS NVARCHAR(20)) + N':' + CAST(m.[we\"ird`]]] AS NVARCHAR(MAX)), N'N') + COALESCE(N'V' + CAST(DATALENGTH(CONVERT(NVARCHAR(40), m.[score], 3)) AS NVARCHAR(20)) + N':' + CONVERT(NVARCHAR(40), m.[score], 3), N'N') AS NVARCHAR(MAX))), 2) AS [syncline_source_hash] FROM (select * from t) m");
    QTest::newRow("Snowflake") << SqlDialect::Snowflake
                         << QStringLiteral("SELECT m.\"id\", md5(COALESCE('V' || LENGTH(TO_VARCHAR(m.\"we\"\"ird`]\")) || ':' || TO_VARCHAR(m.\"we\"\"ird`]\"), 'N') || COALESCE('V' || LENGTH(TO_CHAR(m.\"score\", 'TME')) || ':' || TO_CHAR(m.\"score\", 'TME'), 'N')) AS \"syncline_source_hash\" FROM (select * from t) m");
    QTest::newRow("BigQuery") << SqlDialect::BigQuery
                         << QStringLiteral("SELECT m.`id`, TO_HEX(MD5(CONCAT(COALESCE(CONCAT('V', CAST(LENGTH(m.`we\"ird\\`]`) AS STRING), ':', m.`we\"ird\\`]`), 'N'), COALESCE(CONCAT('V', CAST(LENGTH(FORMAT('%.17g', m.`score`)) AS STRING), ':', FORMAT('%.17g', m.`score`)), 'N')))) AS `syncline_source_hash` FROM (select * from t) m");
    QTest::newRow("Redshift") << SqlDialect::Redshift
                         << QStringLiteral("SELECT m.\"id\", md5(coalesce('V' || octet_length(m.\"we\"\"ird`]\"::varchar(65535))::varchar || ':' || m.\"we\"\"ird`]\"::varchar(65535), 'N') || coalesce('V' || octet_length(m.\"score\"::varchar(65535))::varchar || ':' || m.\"score\"::varchar(65535), 'N')) AS \"syncline_source_hash\" FROM (select * from t) m");
    QTest::newRow("Databricks") << SqlDialect::Databricks
                         << QStringLiteral("SELECT m.`id`, md5(concat(coalesce(concat('V', cast(length(cast(m.`we\"ird``]` AS STRING)) AS STRING), ':', cast(m.`we\"ird``]` AS STRING)), 'N'), coalesce(concat('V', cast(length(cast(m.`score` AS STRING)) AS STRING), ':', cast(m.`score` AS STRING)), 'N'))) AS `syncline_source_hash` FROM (select * from t) m");
}

void TestSourceHashSql::hashQueryWrapsTheModelAndHashesOnlyTheGivenColumns()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, expected);
    // The model's own semicolon goes; the key is selected, a text column with every quote
    // character in its name and a float are hashed.
    const QString sql = hashQuery(dialect, QStringLiteral("select * from t;  "), {column(QStringLiteral("id"), ColumnKind::Integer)},
                                  {column(QStringLiteral("we\"ird`]"), ColumnKind::Text), column(QStringLiteral("score"), ColumnKind::Real)});
    QCOMPARE(sql, expected);
}

void TestSourceHashSql::identifiersWithQuotesAreEscaped_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("expected");
    // The name: a"b`c]d e\f
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL << QStringLiteral("\"a\"\"b`c]d e\\f\"");
    QTest::newRow("Redshift") << SqlDialect::Redshift << QStringLiteral("\"a\"\"b`c]d e\\f\"");
    QTest::newRow("Snowflake") << SqlDialect::Snowflake << QStringLiteral("\"a\"\"b`c]d e\\f\"");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB << QStringLiteral("`a\"b``c]d e\\f`");
    QTest::newRow("Databricks") << SqlDialect::Databricks << QStringLiteral("`a\"b``c]d e\\f`");
    QTest::newRow("BigQuery") << SqlDialect::BigQuery << QStringLiteral("`a\"b\\`c]d e\\\\f`");
    QTest::newRow("SQL Server") << SqlDialect::SqlServer << QStringLiteral("[a\"b`c]]d e\\f]");
}

void TestSourceHashSql::identifiersWithQuotesAreEscaped()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, expected);
    QCOMPARE(quoteIdentifier(dialect, QStringLiteral("a\"b`c]d e\\f")), expected);
}

void TestSourceHashSql::keyLiteralsNeedNoTrustInTheServersEscaping_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("expected");
    // The key: o'ha\ra
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL << QStringLiteral("E'o''ha\\\\ra'");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB << QStringLiteral("_utf8mb4 X'6f2768615c7261'");
    QTest::newRow("SQL Server") << SqlDialect::SqlServer << QStringLiteral("N'o''ha\\ra'");
    QTest::newRow("Snowflake") << SqlDialect::Snowflake << QStringLiteral("'o''ha\\\\ra'");
    QTest::newRow("Redshift") << SqlDialect::Redshift << QStringLiteral("'o''ha\\\\ra'");
    QTest::newRow("BigQuery") << SqlDialect::BigQuery << QStringLiteral("'o\\'ha\\\\ra'");
    QTest::newRow("Databricks") << SqlDialect::Databricks << QStringLiteral("'o\\'ha\\\\ra'");
}

void TestSourceHashSql::keyLiteralsNeedNoTrustInTheServersEscaping()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, expected);
    QCOMPARE(keyLiteral(dialect, ColumnKind::Text, QStringLiteral("o'ha\\ra")).value_or(QString()), expected);
    QCOMPARE(keyLiteral(dialect, ColumnKind::Integer, QStringLiteral("-42")).value_or(QString()), QStringLiteral("-42"));
    QCOMPARE(keyLiteral(dialect, ColumnKind::Timestamp, QStringLiteral("2026-12-01T10:00:00.5")).value_or(QString()),
             QStringLiteral("'2026-12-01T10:00:00.5'"));
    // What cannot be written safely is refused, never guessed.
    QVERIFY(!keyLiteral(dialect, ColumnKind::Integer, QStringLiteral("1; DROP TABLE t")));
    QVERIFY(!keyLiteral(dialect, ColumnKind::Decimal, QStringLiteral("1' OR '1")));
    QVERIFY(!keyLiteral(dialect, ColumnKind::Real, QStringLiteral("0.5")));
    QVERIFY(!keyLiteral(dialect, ColumnKind::Text, QString::fromUtf8("nul\0byte", 8)));
}

void TestSourceHashSql::everyDialectFramesValuesAndMarksNullApart()
{
    for (SqlDialect dialect : {SqlDialect::PostgreSQL, SqlDialect::MariaDB, SqlDialect::SqlServer, SqlDialect::Snowflake,
                               SqlDialect::BigQuery, SqlDialect::Redshift, SqlDialect::Databricks}) {
        for (ColumnKind kind : {ColumnKind::Integer, ColumnKind::Real, ColumnKind::Decimal, ColumnKind::Boolean,
                                ColumnKind::Date, ColumnKind::Time, ColumnKind::Timestamp, ColumnKind::TimestampTz,
                                ColumnKind::Text, ColumnKind::Binary}) {
            const QString sql = canonicalValue(dialect, QStringLiteral("m.c"), kind);
            const QString where = sqlDialectName(dialect) + QLatin1Char(' ') + columnKindName(kind) + QStringLiteral(": ") + sql;
            // A value is 'V' <length> ':' <text>; NULL (and only NULL) falls through to 'N'.
            QVERIFY2(sql.startsWith(QLatin1String("coalesce(")) || sql.startsWith(QLatin1String("COALESCE(")), qPrintable(where));
            QVERIFY2(sql.endsWith(QLatin1String("'N')")), qPrintable(where));
            QVERIFY2(sql.contains(QLatin1String("'V'")), qPrintable(where));
            QVERIFY2(sql.contains(QLatin1String("':'")), qPrintable(where));
            QCOMPARE(sql.count(QLatin1String("m.c")), 2);
        }
    }
}

void TestSourceHashSql::fetchQueryListsKeysAsTuples()
{
    const std::vector<Column> key{column(QStringLiteral("a"), ColumnKind::Integer), column(QStringLiteral("b"), ColumnKind::Text)};
    const QString sql = fetchQuery(SqlDialect::PostgreSQL, QStringLiteral("select a, b, c from t"), {column(QStringLiteral("c"), ColumnKind::Integer)},
                                   key, {{QStringLiteral("1"), QStringLiteral("E'x'")}, {QStringLiteral("2"), QStringLiteral("E'y'")}});
    QVERIFY2(sql.startsWith(QLatin1String("SELECT m.*, lpad(to_hex(hashtextextended(ROW(m.\"c\")::text, 0)), 32, '0') AS ")), qPrintable(sql));
    QVERIFY2(sql.endsWith(QLatin1String(" FROM (select a, b, c from t) m WHERE (m.\"a\", m.\"b\") IN ((1, E'x'), (2, E'y'))")), qPrintable(sql));
}

void TestSourceHashSql::aModelEndingInACommentIsStillClosed()
{
    const QString sql = describeQuery(SqlDialect::PostgreSQL, QStringLiteral("select 1 as id -- the ids;\n;"));
    QCOMPARE(sql, QStringLiteral("SELECT * FROM (select 1 as id -- the ids\n) m WHERE 1 = 0"));
}

void TestSourceHashSql::warehouseStatementReturnsOnlyWhatDiffersFromTheStateTable_data()
{
    QTest::addColumn<SqlDialect>("dialect");
    QTest::addColumn<QString>("plan");
    QTest::addColumn<QString>("create");
    QTest::newRow("PostgreSQL") << SqlDialect::PostgreSQL
                                << QStringLiteral("WITH syncline_m AS NOT MATERIALIZED (SELECT m.*, lpad(to_hex(hashtextextended(ROW(m.\"na\"\"me\")::text, 0)), 32, '0') AS \"syncline_source_hash\" FROM (select id, \"na\"\"me\" from t) m), syncline_d AS (SELECT \"id\" FROM syncline_m GROUP BY \"id\" HAVING count(*) > 1) SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m LEFT JOIN \"st ate\".\"syncline_state_1_ab\" s ON s.\"id\" = m.\"id\" LEFT JOIN syncline_d d ON d.\"id\" = m.\"id\" WHERE s.\"syncline_source_hash\" IS NULL OR s.\"syncline_source_hash\" <> m.\"syncline_source_hash\" OR d.\"id\" IS NOT NULL UNION ALL SELECT s.\"id\", NULL, NULL, 1, (SELECT count(*) FROM syncline_m) FROM \"st ate\".\"syncline_state_1_ab\" s WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE s.\"id\" = m.\"id\")")
                                << QStringLiteral("CREATE TABLE IF NOT EXISTS \"st ate\".\"syncline_state_1_ab\" AS SELECT m.\"id\", CAST(NULL AS VARCHAR(32)) AS \"syncline_source_hash\" FROM (select * from t) m WHERE 1 = 0");
    QTest::newRow("MariaDB") << SqlDialect::MariaDB
                             << QStringLiteral("WITH syncline_m AS (SELECT m.*, MD5(CONCAT(COALESCE(CONCAT('V', CHAR_LENGTH(CONVERT(m.`na\"me` USING utf8mb4)), ':', CONVERT(m.`na\"me` USING utf8mb4)), 'N'))) AS `syncline_source_hash` FROM (select id, \"na\"\"me\" from t) m), syncline_d AS (SELECT `id` FROM syncline_m GROUP BY `id` HAVING count(*) > 1) SELECT m.*, 0 AS syncline_removed, (SELECT count(*) FROM syncline_m) AS syncline_model_rows FROM syncline_m m LEFT JOIN `st ate`.`syncline_state_1_ab` s ON s.`id` = m.`id` LEFT JOIN syncline_d d ON d.`id` = m.`id` WHERE s.`syncline_source_hash` IS NULL OR s.`syncline_source_hash` <> m.`syncline_source_hash` OR d.`id` IS NOT NULL UNION ALL SELECT s.`id`, NULL, NULL, 1, (SELECT count(*) FROM syncline_m) FROM `st ate`.`syncline_state_1_ab` s WHERE NOT EXISTS (SELECT 1 FROM syncline_m m WHERE s.`id` = m.`id`)")
                             << QStringLiteral("CREATE TABLE IF NOT EXISTS `st ate`.`syncline_state_1_ab` AS SELECT m.`id`, CAST(NULL AS CHAR(32)) AS `syncline_source_hash` FROM (select * from t) m WHERE 1 = 0");
}

void TestSourceHashSql::warehouseStatementReturnsOnlyWhatDiffersFromTheStateTable()
{
    QFETCH(SqlDialect, dialect);
    QFETCH(QString, plan);
    QFETCH(QString, create);
    // A schema name with a space, a column with a quote; the key is selected from the state for
    // removed rows and NULL elsewhere; a NULL key or a NULL state hash is always returned.
    const QString table = stateTableName(dialect, QStringLiteral("st ate"), QStringLiteral("syncline_state_1_ab"));
    const std::vector<Column> model{column(QStringLiteral("id"), ColumnKind::Integer), column(QStringLiteral("na\"me"), ColumnKind::Text)};
    QCOMPARE(warehousePlanQuery(dialect, QStringLiteral("select id, \"na\"\"me\" from t"), table, model,
                                {column(QStringLiteral("id"), ColumnKind::Integer)}, {column(QStringLiteral("na\"me"), ColumnKind::Text)}),
             plan);
    QCOMPARE(createStateTable(dialect, QStringLiteral("select * from t"), table, {column(QStringLiteral("id"), ColumnKind::Integer)}), create);
}

void TestSourceHashSql::dialectsAreRecognisedFromTheDbmsName()
{
    QCOMPARE(sqlDialectForDbms(QStringLiteral("PostgreSQL")), SqlDialect::PostgreSQL);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("MariaDB")), SqlDialect::MariaDB);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("MySQL")), SqlDialect::MariaDB);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("Microsoft SQL Server")), SqlDialect::SqlServer);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("Snowflake")), SqlDialect::Snowflake);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("Google BigQuery")), SqlDialect::BigQuery);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("Redshift")), SqlDialect::Redshift);
    QCOMPARE(sqlDialectForDbms(QStringLiteral("Spark SQL")), SqlDialect::Databricks);
    QVERIFY(!sqlDialectForDbms(QStringLiteral("SQLite")));
    QVERIFY(!sqlDialectForDbms(QString()));
}

void TestSourceHashSql::renderingSeparatesNullEmptyTheWordNullAndBoundaries_data()
{
    QTest::addColumn<QString>("variable");
    QTest::newRow("PostgreSQL") << QStringLiteral("SYNCLINE_TEST_PG_ODBC");
    QTest::newRow("MariaDB") << QStringLiteral("SYNCLINE_TEST_MARIADB_ODBC");
}

void TestSourceHashSql::renderingSeparatesNullEmptyTheWordNullAndBoundaries()
{
    QFETCH(QString, variable);
    const QString full = qEnvironmentVariable(qPrintable(variable));
    if (full.isEmpty())
        QSKIP(qPrintable(variable + QStringLiteral(" is not set (source scripts/test-services.sh and start the server)")));
    auto attributes = parseConnectionString(full);
    QVERIFY(attributes);
    ConnectionSpec spec;
    spec.password = attributeValue(*attributes, QStringLiteral("PWD"));
    std::erase_if(*attributes, [](const ConnectionAttribute &a) { return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0; });
    spec.connectionString = buildConnectionString(*attributes);
    auto connection = OdbcConnection::open(spec);
    QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().toString()));
    const auto dialect = sqlDialectForDbms((*connection)->dbmsName());
    QVERIFY(dialect);
    const bool maria = *dialect == SqlDialect::MariaDB;
    auto exec = [&](const QString &sql) {
        auto done = (*connection)->executeUpdate(sql);
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
    };
    exec(QStringLiteral("DROP TABLE IF EXISTS hash_cases"));
    exec(maria ? QStringLiteral("CREATE TABLE hash_cases (n INT, a VARCHAR(20), b VARCHAR(20), f DOUBLE, t DATETIME(6))")
               : QStringLiteral("CREATE TABLE hash_cases (n INT, a VARCHAR(20), b VARCHAR(20), f DOUBLE PRECISION, t TIMESTAMP(6))"));
    // Rows 1..9 and 11..20 must all hash apart; row 10 repeats row 5 and must hash like it.
    // 0.1 + 0.2 as doubles is 0.30000000000000004, one bit away from 0.3.
    const QString sum = maria ? QStringLiteral("0.1e0 + 0.2e0") : QStringLiteral("0.1::float8 + 0.2::float8");
    exec(QStringLiteral("INSERT INTO hash_cases VALUES "
                        "(1, NULL, NULL, NULL, NULL), (2, '', NULL, NULL, NULL), (3, 'NULL', NULL, NULL, NULL), "
                        "(4, NULL, '', NULL, NULL), (5, 'a', 'bc', 0.3, '2026-12-01 10:00:00.000001'), "
                        "(6, 'ab', 'c', 0.3, '2026-12-01 10:00:00.000001'), "
                        "(7, 'a', 'bc', %1, '2026-12-01 10:00:00.000001'), "
                        "(8, 'a', 'bc', 0.3, '2026-12-01 10:00:00.000002'), (9, 'N', NULL, NULL, NULL), "
                        "(10, 'a', 'bc', 0.3, '2026-12-01 10:00:00.000001'), "
                        // What a record's text quotes: commas, quotes, parentheses, backslashes, spaces.
                        "(11, 'a,b', 'c', NULL, NULL), (12, 'a', 'b,c', NULL, NULL), (13, '\"', '', NULL, NULL), "
                        "(14, '', '\"', NULL, NULL), (15, ' ', NULL, NULL, NULL), (16, NULL, ' ', NULL, NULL), "
                        "(17, '(a)', NULL, NULL, NULL), (18, 'a\\\\', 'b', NULL, NULL), (19, 'a', '\\\\b', NULL, NULL), "
                        "(20, '\"\"', NULL, NULL, NULL)").arg(sum));
    const std::vector<Column> hashed{column(QStringLiteral("a"), ColumnKind::Text), column(QStringLiteral("b"), ColumnKind::Text),
                                     column(QStringLiteral("f"), ColumnKind::Real), column(QStringLiteral("t"), ColumnKind::Timestamp)};
    auto cursor = (*connection)->execute(hashQuery(*dialect, QStringLiteral("SELECT n, a, b, f, t FROM hash_cases ORDER BY n"),
                                                   {column(QStringLiteral("n"), ColumnKind::Integer)}, hashed));
    QVERIFY2(cursor, qPrintable(cursor ? QString() : cursor.error().toString()));
    RowBatch batch;
    std::vector<QString> hashes;
    while ((*cursor)->fetch(batch).value_or(false))
        for (int r = 0; r < batch.rowCount(); ++r) {
            QVERIFY(!batch.isNull(r, 1));
            hashes.push_back(QString::fromUtf8(batch.text(r, 1).data(), qsizetype(batch.text(r, 1).size())));
        }
    cursor->reset();
    exec(QStringLiteral("DROP TABLE hash_cases"));
    QCOMPARE(hashes.size(), size_t(20));
    for (const QString &hash : hashes)
        QCOMPARE(hash.size(), 32);
    QSet<QString> distinct(hashes.begin(), hashes.begin() + 9);
    distinct.unite(QSet<QString>(hashes.begin() + 10, hashes.end()));
    QCOMPARE(distinct.size(), 19);
    QCOMPARE(hashes[9], hashes[4]);
}

QTEST_GUILESS_MAIN(TestSourceHashSql)
#include "tst_sourcehashsql.moc"
