// The warehouse over MariaDB Connector/ODBC against the throwaway server of scripts/test-services.sh.
#include "engine/warehouse/odbcconnection.h"
#include "warehousetesthelpers.h"

#include <QCryptographicHash>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

class TestWarehouseMariaDb : public QObject
{
    Q_OBJECT

private:
    ServerConfig m_config;
    std::unique_ptr<OdbcConnection> m_connection;

    void run(const QString &sql)
    {
        auto done = m_connection->executeUpdate(sql);
        QVERIFY2(bool(done), done ? "" : qPrintable(errorText(done.error())));
    }

private slots:
    void initTestCase()
    {
        m_config = serverConfig("SYNCLINE_TEST_MARIADB_ODBC");
        if (!m_config.present)
            QSKIP("MariaDB server not available (SYNCLINE_TEST_MARIADB_ODBC is not set; run scripts/test.sh)");
        auto connection = OdbcConnection::open(specFor(m_config));
        WAREHOUSE_VERIFY_OK(connection);
        m_connection = std::move(*connection);
        run(QStringLiteral("DROP TABLE IF EXISTS everything"));
        run(QStringLiteral("CREATE TABLE everything (id int PRIMARY KEY, tiny tinyint, big bigint, huge bigint unsigned, "
                           "ratio double, amount decimal(38,10), flag bit(1), day date, clock time, moment datetime(6), "
                           "instant timestamp(6) NULL, label varchar(20), body longtext, payload longblob) CHARACTER SET utf8mb4"));
        run(QStringLiteral("SET time_zone = '+02:00'"));
        run(QString::fromUtf8("INSERT INTO everything VALUES "
                              "(1, -128, 9223372036854775807, 18446744073709551615, 0.1, 1234567890123456789012345678.0123456789, b'1', "
                              "'2024-02-29', '13:14:15', '2024-02-29 13:14:15.123456', '2024-06-01 12:00:00', "
                              "'caf\xc3\xa9 \xf0\x9f\x98\x80', 'hello \xf0\x9f\x8e\x89 world', X'00FF10'), "
                              "(2, 7, -9007199254740993, 0, -2.5e300, -0.0000000001, b'0', '1000-01-01', '00:00:00', "
                              "'1999-12-31 23:59:59', '1999-12-31 23:59:59', '', '', ''), "
                              "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"));
        run(QStringLiteral("SET time_zone = '+00:00'"));
    }

    void roundTripsEveryTypeAndNulls()
    {
        auto cursor = m_connection->execute(QStringLiteral("SELECT * FROM everything ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        const auto &columns = (*cursor)->columns();
        const QList<ColumnKind> expectedKinds = {ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Decimal,
                                                 ColumnKind::Real, ColumnKind::Decimal, ColumnKind::Boolean, ColumnKind::Date,
                                                 ColumnKind::Time, ColumnKind::Timestamp, ColumnKind::TimestampTz, ColumnKind::Text,
                                                 ColumnKind::Text, ColumnKind::Binary};
        QCOMPARE(int(columns.size()), int(expectedKinds.size()));
        for (int c = 0; c < expectedKinds.size(); ++c)
            QVERIFY2(columns[size_t(c)].kind == expectedKinds[c],
                     qPrintable(columns[size_t(c)].name + QLatin1Char(' ') + columns[size_t(c)].typeName + QLatin1Char(' ') + columnKindName(columns[size_t(c)].kind)));
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QCOMPARE(batch.rowCount(), 3);
        QCOMPARE(batch.integer(0, 1), int64_t(-128));
        QCOMPARE(batch.integer(0, 2), int64_t(9223372036854775807LL));
        QCOMPARE(batch.integer(1, 2), int64_t(-9007199254740993LL));
        QCOMPARE(batch.text(0, 3), std::string_view("18446744073709551615"));
        QCOMPARE(batch.real(0, 4), 0.1);
        QCOMPARE(batch.real(1, 4), -2.5e300);
        QCOMPARE(batch.text(0, 5), std::string_view("1234567890123456789012345678.0123456789"));
        QCOMPARE(batch.text(1, 5), std::string_view("-0.0000000001"));
        QCOMPARE(batch.boolean(0, 6), true);
        QCOMPARE(batch.boolean(1, 6), false);
        QCOMPARE(batch.text(0, 7), std::string_view("2024-02-29"));
        QCOMPARE(batch.text(0, 8), std::string_view("13:14:15"));
        QCOMPARE(batch.text(0, 9), std::string_view("2024-02-29T13:14:15.123456"));
        // Written at +02:00, read back as the instant in UTC.
        QCOMPARE(batch.text(0, 10), std::string_view("2024-06-01T10:00:00Z"));
        QCOMPARE(batch.text(1, 10), std::string_view("1999-12-31T21:59:59Z"));
        QCOMPARE(batch.text(0, 11), std::string_view("caf\xc3\xa9 \xf0\x9f\x98\x80"));
        QCOMPARE(batch.text(0, 12), std::string_view("hello \xf0\x9f\x8e\x89 world"));
        QCOMPARE(batch.text(0, 13), std::string_view("\x00\xff\x10", 3));
        QVERIFY(!batch.isNull(1, 11));
        QCOMPARE(batch.text(1, 11), std::string_view(""));
        for (int c = 1; c < int(columns.size()); ++c)
            QVERIFY2(batch.isNull(2, c), qPrintable(columns[size_t(c)].name));
    }

    void longTextIsNeverTruncated()
    {
        run(QStringLiteral("DROP TABLE IF EXISTS long_values"));
        run(QStringLiteral("CREATE TABLE long_values (id int, body longtext) CHARACTER SET utf8mb4"));
        run(QString::fromUtf8("INSERT INTO long_values VALUES (1, REPEAT('abcdefghi\xf0\x9f\x98\x80', 8000)), (2, 'short'), "
                              "(3, REPEAT('\xf0\x9f\x98\x80', 30000))"));
        auto cursor = m_connection->execute(QStringLiteral("SELECT id, body, CHAR_LENGTH(body), MD5(body) FROM long_values ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QCOMPARE(batch.rowCount(), 3);
        for (int r = 0; r < 3; ++r) {
            const std::string_view body = batch.text(r, 1);
            QCOMPARE(QString::fromUtf8(body.data(), qsizetype(body.size())).toUcs4().size(), qsizetype(batch.integer(r, 2)));
            const QByteArray md5 = QCryptographicHash::hash(QByteArray(body.data(), qsizetype(body.size())), QCryptographicHash::Md5).toHex();
            QCOMPARE(md5, QByteArray(batch.text(r, 3).data(), qsizetype(batch.text(r, 3).size())));
        }
        QVERIFY(batch.text(0, 1).size() > 100 * 1024);
    }

    void errorsNameSyntaxMissingTableAndWrongPassword()
    {
        auto syntax = m_connection->execute(QStringLiteral("SELEC 1"));
        QVERIFY(!syntax);
        QCOMPARE(syntax.error().code, QStringLiteral("query.syntax"));
        auto missing = m_connection->execute(QStringLiteral("SELECT * FROM no_such_table"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("query.missing_table"));
        QCOMPARE(missing.error().detail(QStringLiteral("sqlstate")), QStringLiteral("42S02"));

        ConnectionSpec spec = specFor(m_config);
        const QString wrong = QStringLiteral("not-") + m_config.password;
        spec.password = wrong;
        auto connection = OdbcConnection::open(spec);
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, QStringLiteral("odbc.auth"));
        QVERIFY(!errorText(connection.error()).contains(wrong));
    }

    void catalogListsCreatedTableAndColumns()
    {
        auto schemas = m_connection->schemas();
        WAREHOUSE_VERIFY_OK(schemas);
        QVERIFY(std::find(schemas->begin(), schemas->end(), QStringLiteral("syncline")) != schemas->end());
        auto tables = m_connection->tables(QStringLiteral("syncline"));
        WAREHOUSE_VERIFY_OK(tables);
        QVERIFY(std::any_of(tables->begin(), tables->end(), [](const CatalogTable &t) { return t.name == QLatin1String("everything"); }));
        auto columns = m_connection->columns(QStringLiteral("syncline"), QStringLiteral("everything"));
        WAREHOUSE_VERIFY_OK(columns);
        QCOMPARE(int(columns->size()), 14);
        QCOMPARE((*columns)[5].name, QStringLiteral("amount"));
        QCOMPARE((*columns)[5].kind, ColumnKind::Decimal);
    }
};

QTEST_GUILESS_MAIN(TestWarehouseMariaDb)
#include "tst_warehouse_mariadb.moc"
