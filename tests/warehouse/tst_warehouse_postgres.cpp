// The warehouse over psqlODBC against the throwaway PostgreSQL server of scripts/test-services.sh.
#include "engine/warehouse/odbcconnection.h"
#include "warehousetesthelpers.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <clocale>
#include <thread>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

class TestWarehousePostgres : public QObject
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

    QStringList serverRow(const QString &sql)
    {
        auto cursor = m_connection->execute(sql);
        if (!cursor)
            return {errorText(cursor.error())};
        const auto rows = readAll(**cursor);
        return rows.empty() ? QStringList() : rows.front();
    }

private slots:
    void initTestCase()
    {
        m_config = serverConfig("SYNCLINE_TEST_PG_ODBC");
        if (!m_config.present)
            QSKIP("PostgreSQL server not available (SYNCLINE_TEST_PG_ODBC is not set; run scripts/test.sh)");
        auto connection = OdbcConnection::open(specFor(m_config));
        WAREHOUSE_VERIFY_OK(connection);
        m_connection = std::move(*connection);
        QCOMPARE(m_connection->dbmsName(), QStringLiteral("PostgreSQL"));
        run(QStringLiteral("DROP TABLE IF EXISTS everything CASCADE"));
        run(QStringLiteral("CREATE TABLE everything (id int PRIMARY KEY, small smallint, big bigint, ratio double precision, "
                           "single real, amount numeric(38,10), flag boolean, day date, clock time, moment timestamp, "
                           "instant timestamptz, label varchar(20), body text, payload bytea)"));
        run(QString::fromUtf8("INSERT INTO everything VALUES "
                              "(1, -32768, 9223372036854775807, 0.1, 1.5, 1234567890123456789012345678.0123456789, true, "
                              "'2024-02-29', '13:14:15.5', '2024-02-29 13:14:15.123456', '2024-06-01 12:00:00+02', "
                              "'caf\xc3\xa9 \xf0\x9f\x98\x80', 'hello \xf0\x9f\x8e\x89 world', '\\x00ff10'), "
                              "(2, 7, -9007199254740993, -2.5e300, 0, -0.0000000001, false, '0001-01-01', '00:00:00', "
                              "'1999-12-31 23:59:59', '1970-01-01 00:00:00+00', '', '', ''), "
                              "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"));
    }

    void roundTripsEveryTypeAndNulls()
    {
        auto cursor = m_connection->execute(QStringLiteral("SELECT * FROM everything ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        const auto &columns = (*cursor)->columns();
        const QList<ColumnKind> expectedKinds = {ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Integer, ColumnKind::Real,
                                                 ColumnKind::Real, ColumnKind::Decimal, ColumnKind::Boolean, ColumnKind::Date,
                                                 ColumnKind::Time, ColumnKind::Timestamp, ColumnKind::TimestampTz, ColumnKind::Text,
                                                 ColumnKind::Text, ColumnKind::Binary};
        QCOMPARE(int(columns.size()), int(expectedKinds.size()));
        for (int c = 0; c < expectedKinds.size(); ++c)
            QVERIFY2(columns[size_t(c)].kind == expectedKinds[c], qPrintable(columns[size_t(c)].name + QLatin1Char(' ') + columns[size_t(c)].typeName));
        QCOMPARE(columns[10].typeName, QStringLiteral("timestamptz"));

        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QCOMPARE(batch.rowCount(), 3);
        QCOMPARE(batch.integer(0, 1), int64_t(-32768));
        QCOMPARE(batch.integer(0, 2), int64_t(9223372036854775807LL));
        QCOMPARE(batch.integer(1, 2), int64_t(-9007199254740993LL));
        QCOMPARE(batch.real(0, 3), 0.1);
        QCOMPARE(batch.real(1, 3), -2.5e300);
        QCOMPARE(batch.real(0, 4), 1.5);
        QCOMPARE(batch.text(0, 5), std::string_view("1234567890123456789012345678.0123456789"));
        QCOMPARE(batch.text(1, 5), std::string_view("-0.0000000001"));
        QCOMPARE(batch.boolean(0, 6), true);
        QCOMPARE(batch.boolean(1, 6), false);
        QCOMPARE(batch.text(0, 7), std::string_view("2024-02-29"));
        QCOMPARE(batch.text(1, 7), std::string_view("0001-01-01"));
        QCOMPARE(batch.text(0, 8), std::string_view("13:14:15.5"));
        QCOMPARE(batch.text(0, 9), std::string_view("2024-02-29T13:14:15.123456"));
        QCOMPARE(batch.text(1, 9), std::string_view("1999-12-31T23:59:59"));
        QCOMPARE(batch.text(0, 10), std::string_view("2024-06-01T10:00:00Z"));
        QCOMPARE(batch.text(1, 10), std::string_view("1970-01-01T00:00:00Z"));
        QCOMPARE(batch.text(0, 11), std::string_view("caf\xc3\xa9 \xf0\x9f\x98\x80"));
        QCOMPARE(batch.text(0, 12), std::string_view("hello \xf0\x9f\x8e\x89 world"));
        QCOMPARE(batch.text(0, 13), std::string_view("\x00\xff\x10", 3));
        QCOMPARE(batch.text(1, 11), std::string_view(""));
        QVERIFY(!batch.isNull(1, 11));
        for (int c = 1; c < int(columns.size()); ++c)
            QVERIFY2(batch.isNull(2, c), qPrintable(columns[size_t(c)].name));
    }

    void emojiSurvivesTheStatementTextToo()
    {
        const QStringList row = serverRow(QString::fromUtf8("SELECT '\xf0\x9f\x98\x80' AS smile, length('\xf0\x9f\x98\x80') AS chars"));
        QCOMPARE(row, QStringList({QString::fromUtf8("\xf0\x9f\x98\x80"), QStringLiteral("1")}));
    }

    void longTextAndBinaryAreNeverTruncated()
    {
        run(QStringLiteral("DROP TABLE IF EXISTS long_values"));
        run(QStringLiteral("CREATE TABLE long_values (id int, body text, blob bytea)"));
        // 100 KB values among short ones, in the same block, with 4-byte characters throughout.
        run(QString::fromUtf8("INSERT INTO long_values SELECT g, CASE WHEN g % 1000 = 7 THEN repeat('abcdefghi\xf0\x9f\x98\x80', 8000) ELSE 'short ' || g END, "
                              "CASE WHEN g % 1000 = 7 THEN decode(repeat('00ff', 60000), 'hex') ELSE '\\x01'::bytea END "
                              "FROM generate_series(1, 3000) g"));
        auto cursor = m_connection->execute(QStringLiteral("SELECT id, body, blob, length(body), octet_length(body), md5(body) FROM long_values ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        int longOnes = 0, rows = 0;
        for (;;) {
            auto more = (*cursor)->fetch(batch);
            WAREHOUSE_VERIFY_OK(more);
            if (!*more)
                break;
            for (int r = 0; r < batch.rowCount(); ++r, ++rows) {
                const std::string_view body = batch.text(r, 1);
                QCOMPARE(int64_t(body.size()), batch.integer(r, 4));
                const QByteArray md5 = QCryptographicHash::hash(QByteArray(body.data(), qsizetype(body.size())), QCryptographicHash::Md5).toHex();
                QCOMPARE(md5, QByteArray(batch.text(r, 5).data(), qsizetype(batch.text(r, 5).size())));
                if (batch.integer(r, 0) % 1000 == 7) {
                    ++longOnes;
                    QCOMPARE(batch.integer(r, 3), int64_t(80000));
                    QVERIFY(body.size() > 100 * 1024);
                    QCOMPARE(batch.text(r, 2).size(), size_t(120000));
                } else {
                    QCOMPARE(batch.text(r, 2), std::string_view("\x01"));
                }
            }
        }
        QCOMPARE(rows, 3000);
        QCOMPARE(longOnes, 3);
    }

    void utf16PathKeepsEmojiAndLongValues()
    {
        // Outside a UTF-8 locale the cursor reads text as SQL_C_WCHAR (UTF-16) and re-encodes it.
        const QByteArray previous = setlocale(LC_CTYPE, nullptr);
        setlocale(LC_CTYPE, "C");
        auto connection = OdbcConnection::open(specFor(m_config));
        setlocale(LC_CTYPE, previous.constData());
        WAREHOUSE_VERIFY_OK(connection);
        auto cursor = (*connection)->execute(QString::fromUtf8(
            "SELECT g, CASE WHEN g = 2 THEN repeat('\xc3\xa9\xf0\x9f\x98\x80x', 20000) ELSE 'caf\xc3\xa9 \xf0\x9f\x98\x80' END AS body "
            "FROM generate_series(1, 3) g"));
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QCOMPARE(batch.rowCount(), 3);
        QCOMPARE(batch.text(0, 1), std::string_view("caf\xc3\xa9 \xf0\x9f\x98\x80"));
        QByteArray expected;
        for (int i = 0; i < 20000; ++i)
            expected += "\xc3\xa9\xf0\x9f\x98\x80x";
        QVERIFY(batch.text(1, 1) == std::string_view(expected.constData(), size_t(expected.size())));
        QCOMPARE(batch.text(2, 1), std::string_view("caf\xc3\xa9 \xf0\x9f\x98\x80"));
    }

    void streamsAQuarterMillionRowsMatchingTheServerChecksum()
    {
        const QString source = QStringLiteral("SELECT g, md5(g::text) AS h, (g * 0.25)::numeric(20,2) AS amount, "
                                              "timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second' AS at "
                                              "FROM generate_series(1, 250000) g");
        const QStringList expected = serverRow(QStringLiteral(
            "SELECT count(*), sum(g), sum(('x' || substr(h, 1, 8))::bit(32)::bigint), sum(amount), "
            "to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM (%1) s").arg(source));
        QCOMPARE(expected.size(), 5);
        QueryOptions options;
        auto cursor = m_connection->execute(source + QStringLiteral(" ORDER BY g"), options);
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        qint64 count = 0, sum = 0, hashSum = 0, cents = 0;
        QString last;
        int batches = 0;
        for (;;) {
            auto more = (*cursor)->fetch(batch);
            WAREHOUSE_VERIFY_OK(more);
            if (!*more)
                break;
            ++batches;
            for (int r = 0; r < batch.rowCount(); ++r) {
                sum += batch.integer(r, 0);
                hashSum += QByteArray(batch.text(r, 1).data(), 8).toLongLong(nullptr, 16);
                const QString amount = QString::fromLatin1(batch.text(r, 2));
                cents += qRound64(amount.toDouble() * 100);
            }
            count += batch.rowCount();
            last = QString::fromLatin1(batch.text(batch.rowCount() - 1, 3));
        }
        QCOMPARE(QString::number(count), expected[0]);
        QCOMPARE(QString::number(sum), expected[1]);
        QCOMPARE(QString::number(hashSum), expected[2]);
        QCOMPARE(QString::number(cents), QString(expected[3]).remove(QLatin1Char('.')));
        QCOMPARE(last, expected[4]);
        // Streamed in blocks of at least 1,024 rows and at most the driver's Fetch=10000.
        QVERIFY2(batches >= 250000 / 10000 && batches <= 250000 / 1024 + 1, qPrintable(QString::number(batches)));
    }

    void limitStopsAfterNRows()
    {
        QueryOptions options;
        options.limit = 5000;
        auto cursor = m_connection->execute(QStringLiteral("SELECT g FROM generate_series(1, 100000) g"), options);
        WAREHOUSE_VERIFY_OK(cursor);
        const auto rows = readAll(**cursor);
        QCOMPARE(int(rows.size()), 5000);
        QCOMPARE(rows.back().front(), QStringLiteral("5000"));
        // The connection is usable right after an abandoned cursor.
        QCOMPARE(serverRow(QStringLiteral("SELECT 41 + 1")), QStringList({QStringLiteral("42")}));
    }

    void sleepingQueryIsCancelledFromAnotherThreadWithinASecond()
    {
        QueryOptions options;
        QElapsedTimer sinceCancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            sinceCancel.start();
            options.cancellation.cancel();
        });
        auto cursor = m_connection->execute(QStringLiteral("SELECT pg_sleep(30)"), options);
        const qint64 elapsed = sinceCancel.isValid() ? sinceCancel.elapsed() : -1;
        canceller.join();
        QVERIFY(!cursor);
        QCOMPARE(cursor.error().code, QStringLiteral("query.cancelled"));
        QVERIFY2(elapsed >= 0 && elapsed < 1000, qPrintable(QString::number(elapsed)));
        QCOMPARE(serverRow(QStringLiteral("SELECT 'still usable'")), QStringList({QStringLiteral("still usable")}));
    }

    void cursorCancelEndsAStreamingRead()
    {
        auto cursor = m_connection->execute(QStringLiteral("SELECT g FROM generate_series(1, 5000000) g"));
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        std::thread canceller([&] { (*cursor)->cancel(); });
        canceller.join();
        more = (*cursor)->fetch(batch);
        QVERIFY(!more);
        QCOMPARE(more.error().code, QStringLiteral("query.cancelled"));
    }

    void cancelDuringABlockingFetchEndsWithinASecond()
    {
        // The first 10,000 rows come at once; a later server-side FETCH sleeps, inside fetch().
        QueryOptions options;
        auto cursor = m_connection->execute(QStringLiteral("SELECT g, CASE WHEN g > 10000 THEN pg_sleep(30) END AS nap "
                                                           "FROM generate_series(1, 20000) g"), options);
        WAREHOUSE_VERIFY_OK(cursor);
        QElapsedTimer sinceCancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            sinceCancel.start();
            options.cancellation.cancel();
        });
        RowBatch batch;
        qint64 rows = 0;
        Result<bool> more = false;
        for (more = (*cursor)->fetch(batch); more && *more; more = (*cursor)->fetch(batch))
            rows += batch.rowCount();
        const qint64 elapsed = sinceCancel.isValid() ? sinceCancel.elapsed() : -1;
        canceller.join();
        QVERIFY(!more);
        QCOMPARE(more.error().code, QStringLiteral("query.cancelled"));
        QVERIFY2(elapsed >= 0 && elapsed < 1000, qPrintable(QString::number(elapsed)));
        QVERIFY(rows <= 10000);
        QCOMPARE(serverRow(QStringLiteral("SELECT 'still usable'")), QStringList({QStringLiteral("still usable")}));
    }

    void queryTimeoutStopsALongQuery()
    {
        QueryOptions options;
        options.timeout = std::chrono::seconds(1);
        QElapsedTimer timer;
        timer.start();
        auto cursor = m_connection->execute(QStringLiteral("SELECT pg_sleep(20)"), options);
        QVERIFY(!cursor);
        QCOMPARE(cursor.error().code, QStringLiteral("query.timeout"));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void errorsNameSyntaxAndMissingTable()
    {
        auto syntax = m_connection->execute(QStringLiteral("SELEC 1"));
        QVERIFY(!syntax);
        QCOMPARE(syntax.error().code, QStringLiteral("query.syntax"));
        QCOMPARE(syntax.error().detail(QStringLiteral("sqlstate")), QStringLiteral("42601"));
        auto missing = m_connection->execute(QStringLiteral("SELECT * FROM no_such_table"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("query.missing_table"));
        QCOMPARE(missing.error().detail(QStringLiteral("sqlstate")), QStringLiteral("42P01"));
        QVERIFY(missing.error().message.contains(QLatin1String("no_such_table")));
    }

    void wrongPasswordIsNamedAndNeverEchoed()
    {
        ConnectionSpec spec = specFor(m_config);
        const QString wrong = QStringLiteral("Wr0ng;pass}word{") + m_config.password;
        spec.password = wrong;
        auto connection = OdbcConnection::open(spec);
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, QStringLiteral("odbc.auth"));
        const QString text = errorText(connection.error());
        QVERIFY2(!text.contains(wrong) && !text.contains(m_config.password), "the password leaked into the error");
        QVERIFY(connection.error().detail(QStringLiteral("driver_message")).contains(QLatin1String("password authentication failed")));
    }

    void passwordWithBracesAndSemicolonsConnects()
    {
        // The password travels as Pwd={...} with '}' doubled: braces, '=' and ';' must survive.
        // A role of its own: changing the shared role's password failed the logins of tests
        // running beside this one (ctest -j2 shares the server).
        const QString tricky = QStringLiteral("p;a}}s{s=w0rd}");
        const QString role = QStringLiteral("syncline_tricky_password");
        run(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
        run(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(role, tricky));
        ConnectionSpec spec = specFor(m_config);
        const QRegularExpression user(QStringLiteral("(^|;)Uid=syncline(;|$)"), QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(spec.connectionString.contains(user), qPrintable(spec.connectionString));
        spec.connectionString.replace(user, QStringLiteral("\\1Uid=%1\\2").arg(role));
        spec.password = tricky;
        QString failure;
        {
            auto connection = OdbcConnection::open(spec); // closed at the brace, so the role can go
            if (!connection)
                failure = connection.error().toString();
        }
        WAREHOUSE_VERIFY_OK(m_connection->executeUpdate(QStringLiteral("DROP ROLE %1").arg(role)));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void catalogListsCreatedTableAndColumns()
    {
        auto schemas = m_connection->schemas();
        WAREHOUSE_VERIFY_OK(schemas);
        QVERIFY(std::find(schemas->begin(), schemas->end(), QStringLiteral("public")) != schemas->end());
        run(QStringLiteral("CREATE OR REPLACE VIEW everything_view AS SELECT id, label FROM everything"));
        auto tables = m_connection->tables(QStringLiteral("public"));
        WAREHOUSE_VERIFY_OK(tables);
        QStringList names;
        for (const auto &table : *tables)
            names << table.name + QLatin1Char(':') + table.type;
        QVERIFY2(names.contains(QStringLiteral("everything:TABLE")), qPrintable(names.join(QLatin1Char(','))));
        QVERIFY2(names.contains(QStringLiteral("everything_view:VIEW")), qPrintable(names.join(QLatin1Char(','))));
        auto columns = m_connection->columns(QStringLiteral("public"), QStringLiteral("everything"));
        WAREHOUSE_VERIFY_OK(columns);
        QCOMPARE(int(columns->size()), 14);
        QCOMPARE((*columns)[0].name, QStringLiteral("id"));
        QCOMPARE((*columns)[0].kind, ColumnKind::Integer);
        QVERIFY(!(*columns)[0].nullable);
        QCOMPARE((*columns)[5].kind, ColumnKind::Decimal);
        QCOMPARE((*columns)[5].size, qint64(38));
        QCOMPARE((*columns)[5].scale, short(10));
        QCOMPARE((*columns)[10].kind, ColumnKind::TimestampTz);
    }
};

QTEST_GUILESS_MAIN(TestWarehousePostgres)
#include "tst_warehouse_postgres.moc"
