// Reading a model over several connections (keysplit.h, ParallelQueryCursor) through the
// planner's entry point, openModelCursor, against the real PostgreSQL and MariaDB of
// scripts/test-services.sh: every split returns exactly the rows of the one-connection read,
// and a failure on one connection stops the read naming it.
#include "engine/sync/modelfeed.h"
#include "engine/warehouse/keysplit.h"
#include "engine/warehouse/odbcconnection.h"
#include "warehousetesthelpers.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

namespace {

struct Server
{
    const char *variable;
    const char *name;
    QChar quote; // identifier quote
    ServerConfig config;
    std::unique_ptr<OdbcConnection> connection;
};

QString ident(const Server &server, const QString &name)
{
    QString escaped = name;
    escaped.replace(server.quote, QString(server.quote) + server.quote);
    return server.quote + escaped + server.quote;
}

QString literal(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

// Text keys no split may lose or duplicate: quotes, separators the hash joins with, parentheses
// of PostgreSQL's row text, characters outside the BMP, spaces, the word NULL and the empty string.
const QStringList kOddKeys = {QString(), QStringLiteral("a,b"), QStringLiteral("(x)"), QStringLiteral("it's"),
                              QString::fromUtf8("\xce\xa9 \xf0\x9f\x98\x80"), QStringLiteral("\"q\""), QStringLiteral("NULL"),
                              QStringLiteral(" lead"), QStringLiteral("trail "), QStringLiteral("`tick`"), QStringLiteral(",")};

} // namespace

class TestParallelExtraction : public QObject
{
    Q_OBJECT

private:
    std::vector<Server> m_servers;

    static bool run(Server &server, const QString &sql)
    {
        auto done = server.connection->executeUpdate(sql);
        if (!done)
            qWarning("%s: %s", server.name, qPrintable(errorText(done.error())));
        return bool(done);
    }

    // Every row of `sql` read over `connections` connections, sorted (a multiset), and how many read it.
    static std::vector<QStringList> rowsOf(Server &server, const QString &sql, const QStringList &key, int connections,
                                           int *used, QString *error = nullptr)
    {
        QueryOptions options;
        auto cursor = sync::openModelCursor(*server.connection, specFor(server.config), sql, key, connections, options, used);
        if (!cursor) {
            if (error)
                *error = errorText(cursor.error());
            return {};
        }
        std::vector<QStringList> rows;
        RowBatch batch;
        for (;;) {
            auto more = (*cursor)->fetch(batch);
            if (!more) {
                if (error)
                    *error = more.error().message + QStringLiteral(" | connection=") + more.error().detail(QStringLiteral("connection"))
                             + QStringLiteral(" sqlstate=") + more.error().detail(QStringLiteral("sqlstate"));
                return {};
            }
            if (!*more)
                break;
            for (int r = 0; r < batch.rowCount(); ++r) {
                QStringList row;
                for (int c = 0; c < batch.columnCount(); ++c)
                    row << (batch.isNull(r, c) ? QStringLiteral("<NULL>") : batch.displayText(r, c));
                rows.push_back(row);
            }
        }
        std::sort(rows.begin(), rows.end());
        return rows;
    }

    void compareSplits(Server &server, const QString &sql, const QStringList &key, qsizetype expectedRows)
    {
        int used = 0;
        QString error;
        const auto single = rowsOf(server, sql, key, 1, &used, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(used, 1);
        QCOMPARE(qsizetype(single.size()), expectedRows);
        for (int connections : {2, 3, 4, 7}) {
            const auto split = rowsOf(server, sql, key, connections, &used, &error);
            QVERIFY2(error.isEmpty(), qPrintable(QStringLiteral("%1 over %2: %3").arg(QLatin1String(server.name)).arg(connections).arg(error)));
            QCOMPARE(used, connections); // it really was split
            QCOMPARE(qsizetype(split.size()), qsizetype(single.size()));
            QVERIFY2(split == single, qPrintable(QStringLiteral("%1 over %2 connections read other rows").arg(QLatin1String(server.name)).arg(connections)));
        }
    }

private slots:
    void initTestCase()
    {
        m_servers.push_back({"SYNCLINE_TEST_PG_ODBC", "PostgreSQL", QLatin1Char('"'), {}, {}});
        m_servers.push_back({"SYNCLINE_TEST_MARIADB_ODBC", "MariaDB", QLatin1Char('`'), {}, {}});
        for (Server &server : m_servers) {
            server.config = serverConfig(server.variable);
            if (!server.config.present)
                continue;
            auto connection = OdbcConnection::open(specFor(server.config));
            WAREHOUSE_VERIFY_OK(connection);
            server.connection = std::move(*connection);
        }
        std::erase_if(m_servers, [](const Server &server) { return !server.connection; });

        for (Server &server : m_servers) {
            const bool pg = server.quote == QLatin1Char('"');
            QVERIFY(run(server, QStringLiteral("DROP TABLE IF EXISTS split_int")));
            QVERIFY(run(server, QStringLiteral("DROP TABLE IF EXISTS split_text")));
            QVERIFY(run(server, QStringLiteral("DROP TABLE IF EXISTS split_pair")));
            QVERIFY(run(server, QStringLiteral("CREATE TABLE split_int (id bigint, label varchar(40))")));
            QVERIFY(run(server, QStringLiteral("CREATE TABLE split_text (%1 varchar(40), n int)").arg(ident(server, QStringLiteral("Key \"q\" `b`")))));
            QVERIFY(run(server, QStringLiteral("CREATE TABLE split_pair (region varchar(20), num int, v %1)").arg(pg ? QStringLiteral("text") : QStringLiteral("varchar(20)"))));
            QStringList ints, texts, pairs;
            for (int i = 1; i <= 3000; ++i) {
                ints << QStringLiteral("(%1, 'row %1')").arg(i * 7 - 5000);
                texts << QStringLiteral("('k%1', %1)").arg(i);
                pairs << QStringLiteral("('r%1', %2, 'v%3')").arg(i % 13).arg(i / 13).arg(i);
            }
            // NULL keys, the int64 limits and a duplicated key.
            ints << QStringLiteral("(NULL, 'null a')") << QStringLiteral("(NULL, 'null b')")
                 << QStringLiteral("(-9223372036854775808, 'min')") << QStringLiteral("(9223372036854775807, 'max')")
                 << QStringLiteral("(2, 'dup')");
            for (qsizetype i = 0; i < kOddKeys.size(); ++i)
                texts << QStringLiteral("(%1, %2)").arg(kOddKeys[i].isNull() ? QStringLiteral("NULL") : literal(kOddKeys[i])).arg(-i);
            texts << QStringLiteral("('', 100)");
            pairs << QStringLiteral("(NULL, 1, 'n1')") << QStringLiteral("('r1', NULL, 'n2')") << QStringLiteral("(NULL, NULL, 'n3')")
                  << QStringLiteral("(',', 1, 'c')") << QStringLiteral("('', 1, 'e')");
            QVERIFY(run(server, QStringLiteral("INSERT INTO split_int VALUES ") + ints.join(QLatin1Char(','))));
            QVERIFY(run(server, QStringLiteral("INSERT INTO split_text VALUES ") + texts.join(QLatin1Char(','))));
            QVERIFY(run(server, QStringLiteral("INSERT INTO split_pair VALUES ") + pairs.join(QLatin1Char(','))));
        }
    }

    void init()
    {
        if (m_servers.empty() && QByteArray(QTest::currentTestFunction()) != "aDriverWithNoSplitReadsOverOneConnection")
            QSKIP("neither PostgreSQL nor MariaDB is available (SYNCLINE_TEST_PG_ODBC / SYNCLINE_TEST_MARIADB_ODBC unset; run scripts/test.sh)");
    }

    void aDriverWithNoSplitReadsOverOneConnection()
    {
        // SQLite: a local file gains nothing from more connections, and has no hash function.
        QTemporaryDir dir;
        ConnectionSpec spec;
        spec.connectionString = QStringLiteral("Driver={SQLite3};Database=") + dir.filePath(QStringLiteral("w.db"));
        auto connection = OdbcConnection::open(spec);
        if (!connection)
            QSKIP(qPrintable(QStringLiteral("the SQLite3 ODBC driver is not installed: ") + connection.error().message));
        auto created = (*connection)->executeUpdate(QStringLiteral("CREATE TABLE t (id integer, v text)"));
        WAREHOUSE_VERIFY_OK(created);
        auto inserted = (*connection)->executeUpdate(QStringLiteral("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (NULL, 'c')"));
        WAREHOUSE_VERIFY_OK(inserted);
        int used = 0;
        auto cursor = sync::openModelCursor(**connection, spec, QStringLiteral("SELECT * FROM t"), {QStringLiteral("id")}, 4, {}, &used);
        WAREHOUSE_VERIFY_OK(cursor);
        QCOMPARE(used, 1);
        QCOMPARE(int(readAll(**cursor).size()), 3);
    }

    void anIntegerKeyIsSplitIntoRangesThatReadEveryRowOnce()
    {
        for (Server &server : m_servers) {
            // Ranges: the planner's describe finds an integer key and asks for its min and max.
            auto split = planSplit(*server.connection, QStringLiteral("SELECT * FROM split_int"), {QStringLiteral("ID")}, 4);
            WAREHOUSE_VERIFY_OK(split);
            QVERIFY(split->method == KeySplit::Method::Range);
            // A trailing semicolon and a line comment at the model's end are wrapped safely.
            compareSplits(server, QStringLiteral("SELECT id, label FROM split_int -- every row\n;"), {QStringLiteral("id")}, 3005);
        }
    }

    void textKeysWithOddCharactersAreSplitByHash()
    {
        for (Server &server : m_servers) {
            const QString key = QStringLiteral("Key \"q\" `b`");
            auto split = planSplit(*server.connection, QStringLiteral("SELECT * FROM split_text"), {key}, 3);
            WAREHOUSE_VERIFY_OK(split);
            QVERIFY(split->method == KeySplit::Method::Hash);
            compareSplits(server, QStringLiteral("SELECT * FROM split_text"), {key}, 3000 + kOddKeys.size() + 1);
        }
    }

    void compositeKeysWithNullPartsAreSplitByHash()
    {
        for (Server &server : m_servers)
            compareSplits(server, QStringLiteral("SELECT region, num, v FROM split_pair"), {QStringLiteral("region"), QStringLiteral("num")},
                          3005);
    }

    void aModelWithNoRowsReadsNothingOverEveryConnection()
    {
        for (Server &server : m_servers) {
            int used = 0;
            QString error;
            const auto rows = rowsOf(server, QStringLiteral("SELECT * FROM split_text WHERE n > 100000"), {QStringLiteral("n")}, 4, &used, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(rows.empty());
        }
    }

    void aFailingConnectionStopsTheReadAndIsNamed()
    {
        if (std::none_of(m_servers.begin(), m_servers.end(), [](const Server &server) { return server.quote == QLatin1Char('"'); }))
            QSKIP("needs PostgreSQL (SYNCLINE_TEST_PG_ODBC is not set)");
        for (Server &server : m_servers) {
            if (server.quote != QLatin1Char('"'))
                continue; // MariaDB answers 1/0 with NULL, not an error
            // Rows 1..5000 in 4 ranges of 1250: only the 4th range reaches id 4000 and divides by zero.
            const QString model = QStringLiteral("SELECT g AS id, 1 / (g - 4000) AS boom FROM generate_series(1, 5000) g");
            int used = 0;
            QString error;
            const auto rows = rowsOf(server, model, {QStringLiteral("id")}, 4, &used, &error);
            QVERIFY(rows.empty());
            QCOMPARE(used, 4);
            QVERIFY2(error.contains(QStringLiteral("connection 4 of 4 failed")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("division by zero")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("connection=4")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("sqlstate=22012")), qPrintable(error));
        }
    }

    void aCancelStopsEveryConnectionAndTheRead()
    {
        if (std::none_of(m_servers.begin(), m_servers.end(), [](const Server &server) { return server.quote == QLatin1Char('"'); }))
            QSKIP("needs PostgreSQL (SYNCLINE_TEST_PG_ODBC is not set)");
        for (Server &server : m_servers) {
            if (server.quote != QLatin1Char('"'))
                continue; // MariaDB's driver reads whole results into memory: nothing to cancel midway
            // 200,000 rows: many more blocks than the parts fetch ahead of the reader.
            QVERIFY(run(server, QStringLiteral("DROP TABLE IF EXISTS split_big")));
            QVERIFY(run(server, QStringLiteral("CREATE TABLE split_big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 200000) g")));
            CancellationToken token;
            QueryOptions options;
            options.cancellation = token;
            int used = 0;
            auto cursor = sync::openModelCursor(*server.connection, specFor(server.config),
                                                QStringLiteral("SELECT * FROM split_big"),
                                                {QStringLiteral("id")}, 4, options, &used);
            WAREHOUSE_VERIFY_OK(cursor);
            QCOMPARE(used, 4);
            RowBatch batch;
            auto first = (*cursor)->fetch(batch);
            WAREHOUSE_VERIFY_OK(first);
            QVERIFY(*first && batch.rowCount() > 0);
            token.cancel();
            Result<bool> more = true;
            qint64 blocks = 0;
            while (more && *more && blocks < 1000000)
                more = (*cursor)->fetch(batch), ++blocks;
            QVERIFY(!more);
            QCOMPARE(more.error().code, QStringLiteral("query.cancelled"));
            QVERIFY2(blocks <= 9, qPrintable(QStringLiteral("%1 blocks after the cancel").arg(blocks))); // at most what was fetched ahead
            cursor->reset(); // stops and joins every part: must not hang
            // The connection of the first part is usable again.
            auto again = server.connection->execute(QStringLiteral("SELECT 1"));
            WAREHOUSE_VERIFY_OK(again);
        }
    }

    void aConnectionThatCannotRunItsQueryFailsTheOpen()
    {
        for (Server &server : m_servers) {
            int used = 0;
            QString error;
            const auto rows = rowsOf(server, QStringLiteral("SELECT * FROM split_missing_table"), {QStringLiteral("id")}, 4, &used, &error);
            QVERIFY(rows.empty());
            QVERIFY2(error.contains(QStringLiteral("split_missing_table")), qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(TestParallelExtraction)
#include "tst_parallelextraction.moc"
