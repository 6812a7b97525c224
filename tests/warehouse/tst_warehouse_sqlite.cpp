// The warehouse over the SQLite3 ODBC driver, against a temporary database file the test creates.
#include "engine/warehouse/odbcconnection.h"
#include "warehousetesthelpers.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

class TestWarehouseSqlite : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<OdbcConnection> m_connection;

    QString connectionString() const
    {
        return QStringLiteral("Driver={SQLite3};Database=") + m_dir.filePath(QStringLiteral("warehouse.db"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ConnectionSpec spec;
        spec.connectionString = connectionString();
        auto connection = OdbcConnection::open(spec);
        WAREHOUSE_VERIFY_OK(connection);
        m_connection = std::move(*connection);
        const char *ddl[] = {
            "CREATE TABLE everything (id integer primary key, big bigint, ratio double, flag boolean, day date, "
            "moment timestamp, label varchar(40), body text, payload blob)",
            "INSERT INTO everything VALUES (1, 9223372036854775807, 0.1, 1, '2024-02-29', '2024-02-29 13:14:15.123456', "
            "'caf\xc3\xa9 \xf0\x9f\x98\x80', 'hello', X'00FF10')",
            "INSERT INTO everything VALUES (2, -9007199254740993, -2.5e300, 0, '1999-12-31', '1999-12-31 23:59:59', "
            "'\xf0\x9f\x8e\x89\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd', '', X'')",
            "INSERT INTO everything VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        };
        for (const char *sql : ddl) {
            auto done = m_connection->executeUpdate(QString::fromUtf8(sql));
            WAREHOUSE_VERIFY_OK(done);
        }
    }

    void roundTripsEveryTypeAndNulls()
    {
        auto cursor = m_connection->execute(QStringLiteral("SELECT id, big, ratio, flag, day, moment, label, body, payload FROM everything ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        const auto &columns = (*cursor)->columns();
        QCOMPARE(int(columns.size()), 9);
        QCOMPARE(columns[1].kind, ColumnKind::Integer);
        QCOMPARE(columns[2].kind, ColumnKind::Real);
        QCOMPARE(columns[3].kind, ColumnKind::Boolean);
        QCOMPARE(columns[4].kind, ColumnKind::Date);
        QCOMPARE(columns[5].kind, ColumnKind::Timestamp);
        QCOMPARE(columns[6].kind, ColumnKind::Text);
        QCOMPARE(columns[8].kind, ColumnKind::Binary);

        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QVERIFY(*more);
        QCOMPARE(batch.rowCount(), 3);
        QCOMPARE(batch.integer(0, 1), int64_t(9223372036854775807LL));
        QCOMPARE(batch.integer(1, 1), int64_t(-9007199254740993LL));
        QCOMPARE(batch.real(0, 2), 0.1);
        QCOMPARE(batch.real(1, 2), -2.5e300);
        QCOMPARE(batch.boolean(0, 3), true);
        QCOMPARE(batch.boolean(1, 3), false);
        QCOMPARE(batch.text(0, 4), std::string_view("2024-02-29"));
        QCOMPARE(batch.text(0, 5), std::string_view("2024-02-29T13:14:15.123456"));
        QCOMPARE(batch.text(1, 5), std::string_view("1999-12-31T23:59:59"));
        QCOMPARE(batch.text(0, 6), std::string_view("caf\xc3\xa9 \xf0\x9f\x98\x80"));
        QCOMPARE(batch.text(1, 6), std::string_view("\xf0\x9f\x8e\x89\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"));
        QCOMPARE(batch.displayText(0, 6), QStringLiteral(u"caf\u00e9 \U0001F600"));
        QCOMPARE(batch.text(0, 8), std::string_view("\x00\xff\x10", 3));
        QCOMPARE(batch.displayText(0, 8), QStringLiteral("\\x00ff10"));
        QVERIFY(!batch.isNull(1, 7));
        QCOMPARE(batch.text(1, 7), std::string_view(""));
        for (int c = 1; c < 9; ++c) {
            QVERIFY2(batch.isNull(2, c), qPrintable(columns[size_t(c)].name));
            QVERIFY(batch.displayText(2, c).isNull());
        }
        more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QVERIFY(!*more);
        QCOMPARE((*cursor)->rowsFetched(), qint64(3));
    }

    void longTextIsNeverTruncated()
    {
        // 100 KB, with a 4-byte character straddling every chunk boundary the reader could pick.
        QByteArray value;
        for (int i = 0; value.size() < 100 * 1024; ++i)
            value += (i % 7 == 0) ? QByteArray("\xf0\x9f\x98\x80") : QByteArray("abcdefghij");
        auto created = m_connection->executeUpdate(QStringLiteral("CREATE TABLE long_values (id integer, body text)"));
        WAREHOUSE_VERIFY_OK(created);
        for (int id = 1; id <= 3; ++id) {
            const QByteArray body = id == 2 ? QByteArray("short") : value;
            auto inserted = m_connection->executeUpdate(QStringLiteral("INSERT INTO long_values VALUES (%1, '%2')").arg(id).arg(QString::fromUtf8(body)));
            WAREHOUSE_VERIFY_OK(inserted);
        }
        auto cursor = m_connection->execute(QStringLiteral("SELECT id, body FROM long_values ORDER BY id"));
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        WAREHOUSE_VERIFY_OK(more);
        QCOMPARE(batch.rowCount(), 3);
        QCOMPARE(batch.text(0, 1).size(), size_t(value.size()));
        QVERIFY(batch.text(0, 1) == std::string_view(value.constData(), size_t(value.size())));
        QCOMPARE(batch.text(1, 1), std::string_view("short"));
        QVERIFY(batch.text(2, 1) == std::string_view(value.constData(), size_t(value.size())));
    }

    void streamsManyRowsInBlocksAndHonoursLimit()
    {
        auto created = m_connection->executeUpdate(QStringLiteral(
            "CREATE TABLE series AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000) SELECT x FROM n"));
        WAREHOUSE_VERIFY_OK(created);
        QueryOptions options;
        options.rowsetSize = 1024;
        auto cursor = m_connection->execute(QStringLiteral("SELECT x FROM series ORDER BY x"), options);
        WAREHOUSE_VERIFY_OK(cursor);
        RowBatch batch;
        qint64 sum = 0, count = 0;
        int batches = 0;
        for (;;) {
            auto more = (*cursor)->fetch(batch);
            WAREHOUSE_VERIFY_OK(more);
            if (!*more)
                break;
            ++batches;
            QVERIFY(batch.rowCount() <= 1024);
            for (int r = 0; r < batch.rowCount(); ++r)
                sum += batch.integer(r, 0);
            count += batch.rowCount();
        }
        QCOMPARE(count, qint64(10000));
        QCOMPARE(sum, qint64(10000) * 10001 / 2);
        QVERIFY2(batches >= 10, qPrintable(QString::number(batches)));

        QueryOptions limited;
        limited.limit = 2500;
        auto first = m_connection->execute(QStringLiteral("SELECT x FROM series ORDER BY x"), limited);
        WAREHOUSE_VERIFY_OK(first);
        const auto rows = readAll(**first);
        QCOMPARE(int(rows.size()), 2500);
        QCOMPARE(rows.back().front(), QStringLiteral("2500"));
    }

    void catalogListsCreatedTableAndColumns()
    {
        auto tables = m_connection->tables();
        WAREHOUSE_VERIFY_OK(tables);
        const auto found = std::find_if(tables->begin(), tables->end(), [](const CatalogTable &t) { return t.name == QLatin1String("everything"); });
        QVERIFY(found != tables->end());
        QCOMPARE(found->type, QStringLiteral("TABLE"));
        auto columns = m_connection->columns(QString(), QStringLiteral("everything"));
        WAREHOUSE_VERIFY_OK(columns);
        QStringList names;
        for (const Column &column : *columns)
            names << column.name;
        QCOMPARE(names, QStringList({QStringLiteral("id"), QStringLiteral("big"), QStringLiteral("ratio"), QStringLiteral("flag"),
                                     QStringLiteral("day"), QStringLiteral("moment"), QStringLiteral("label"), QStringLiteral("body"),
                                     QStringLiteral("payload")}));
        QCOMPARE((*columns)[1].kind, ColumnKind::Integer);
        QCOMPARE((*columns)[5].kind, ColumnKind::Timestamp);
        auto missing = m_connection->columns(QString(), QStringLiteral("no_such_table"));
        QVERIFY(!missing);
    }

    void syntaxErrorAndMissingTableAreNamed()
    {
        auto syntax = m_connection->execute(QStringLiteral("SELEC 1"));
        QVERIFY(!syntax);
        QCOMPARE(syntax.error().code, QStringLiteral("query.syntax"));
        auto missing = m_connection->execute(QStringLiteral("SELECT * FROM no_such_table"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("query.missing_table"));
        QVERIFY2(missing.error().message.contains(QLatin1String("no_such_table")), qPrintable(missing.error().message));
    }
};

QTEST_GUILESS_MAIN(TestWarehouseSqlite)
#include "tst_warehouse_sqlite.moc"
