// The COPY reader for PostgreSQL models (pgcopycursor.h, chosen by modelquery.h) against the real
// PostgreSQL of scripts/test-services.sh: every cell of every column kind equals what the ODBC
// cursor gives for the same query, errors and cancels read like the ODBC path's, and what
// cannot be translated (DSN=, ConnSettings, an unchecked type) keeps the ODBC path.
#include "engine/warehouse/modelquery.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/pgconninfo.h"
#include "engine/warehouse/pgcopycursor.h"
#include "warehousetesthelpers.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <cstring>
#include <thread>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

namespace {

// One cell as the reader of a batch sees it, with floats compared bit for bit (NaN, -0).
QString cellText(const RowBatch &batch, int r, int c)
{
    if (batch.isNull(r, c))
        return QStringLiteral("<NULL>");
    switch (batch.columns()[size_t(c)].kind) {
    case ColumnKind::Integer: return QStringLiteral("i:") + QString::number(batch.integer(r, c));
    case ColumnKind::Real: {
        const double value = batch.real(r, c);
        quint64 bits;
        std::memcpy(&bits, &value, sizeof bits);
        return QStringLiteral("r:%1/%2").arg(value, 0, 'g', 17).arg(std::isnan(value) ? 0 : bits, 0, 16);
    }
    case ColumnKind::Boolean: return batch.boolean(r, c) ? QStringLiteral("b:1") : QStringLiteral("b:0");
    default: {
        const std::string_view text = batch.text(r, c);
        return QStringLiteral("t:") + QString::fromLatin1(QByteArray(text.data(), qsizetype(text.size())).toHex());
    }
    }
}

Result<std::vector<QStringList>> readCells(QueryCursor &cursor)
{
    std::vector<QStringList> rows;
    RowBatch batch;
    for (;;) {
        auto more = cursor.fetch(batch);
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        for (int r = 0; r < batch.rowCount(); ++r) {
            QStringList row;
            for (int c = 0; c < batch.columnCount(); ++c)
                row << cellText(batch, r, c);
            rows.push_back(row);
        }
    }
    return rows;
}

QString sqlText(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QStringLiteral("E'") + escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")) + QLatin1Char('\'');
}

} // namespace

class TestPgCopyCursor : public QObject
{
    Q_OBJECT

private:
    ServerConfig m_config;
    std::unique_ptr<OdbcConnection> m_connection;

    bool exec(const QString &sql)
    {
        auto done = m_connection->executeUpdate(sql);
        if (!done)
            qWarning("%s", qPrintable(errorText(done.error())));
        return bool(done);
    }

private slots:
    void initTestCase()
    {
        // A non-UTC zone for every libpq session (psqlODBC connects through libpq too): both
        // readers must still give timestamptz as the UTC instant.
        qputenv("PGTZ", "Asia/Kolkata");
        qunsetenv("SYNCLINE_PG_COPY");
        m_config = serverConfig("SYNCLINE_TEST_PG_ODBC");
        if (!m_config.present)
            QSKIP("SYNCLINE_TEST_PG_ODBC is not set (source scripts/test-services.sh; services_start_postgres)");
        auto connection = OdbcConnection::open(specFor(m_config));
        WAREHOUSE_VERIFY_OK(connection);
        m_connection = std::move(*connection);
    }

    void conninfoTranslatesOnlyWhatLibpqCanDoAlike()
    {
        ConnectionSpec spec;
        spec.connectionString = QStringLiteral("Driver={PostgreSQL Unicode};Servername=db.local;Port=5433;Database=sales;"
                                               "Username=ann;UseDeclareFetch=1;Fetch=10000;SSLmode=require");
        spec.password = QStringLiteral("it's \\secret");
        const auto conninfo = libpqConninfo(spec);
        QVERIFY(conninfo);
        QVERIFY2(conninfo->startsWith("host='db.local' port='5433' dbname='sales' user='ann' password='it\\'s \\\\secret' "
                                      "sslmode='require'"),
                 conninfo->constData());
        spec.connectionString = QStringLiteral("Driver={PostgreSQL Unicode};Server=h;Uid=u");
        QVERIFY(libpqConninfo(spec)->contains("sslmode='disable'")); // psqlODBC's default, not libpq's
        spec.connectionString = QStringLiteral("DSN=warehouse"); // needs odbc.ini
        QVERIFY(!libpqConninfo(spec));
        spec.connectionString = QStringLiteral("Driver={PostgreSQL Unicode};Server=h;ConnSettings={SET search_path=x}");
        QVERIFY(!libpqConninfo(spec));
        spec.connectionString = QStringLiteral("Driver={MariaDB Unicode};Server=h");
        QVERIFY(!libpqConninfo(spec));
    }

    void everyKindEqualsTheOdbcCursor()
    {
        QVERIFY(exec(QStringLiteral("DROP TABLE IF EXISTS copy_kinds")));
        QVERIFY(exec(QStringLiteral(
            "CREATE TABLE copy_kinds (id int8 PRIMARY KEY, i2 int2, i4 int4, n numeric(14,4), nf numeric, f4 float4, "
            "f8 float8, b bool, t text, v varchar(20), c char(5), d date, tm time, ts timestamp, tz timestamptz, "
            "by bytea, u uuid, j json, jb jsonb, ai int4[], at text[])")));
        const QStringList texts = {QString(), QStringLiteral("tab\there"), QStringLiteral("line\nbreak\r\n"),
                                   QStringLiteral("back\\slash \\N \\t"), QString::fromUtf8("\xce\xa9 \xf0\x9f\x98\x80 caf\xc3\xa9"),
                                   QStringLiteral("\\"), QStringLiteral("plain"), QStringLiteral("'quoted'")};
        const QStringList floats = {QStringLiteral("'NaN'"), QStringLiteral("'Infinity'"), QStringLiteral("'-Infinity'"),
                                    QStringLiteral("'-0'"), QStringLiteral("0.1"), QStringLiteral("1e300"),
                                    QStringLiteral("-2.2250738585072014e-308"), QStringLiteral("3.4028235e38")};
        QRandomGenerator random(12);
        QStringList values;
        for (int id = 1; id <= 3000; ++id) {
            auto maybe = [&](const QString &value) { return random.bounded(6) == 0 ? QStringLiteral("NULL") : value; };
            const QString text = texts[random.bounded(texts.size())];
            const qint64 big = qint64(random.generate64()) >> random.bounded(64);
            const int micros = random.bounded(3) == 0 ? 0 : random.bounded(1000000);
            const QString stamp = QStringLiteral("'%1-%2-%3 %4:%5:%6.%7'")
                                      .arg(1900 + random.bounded(200)).arg(1 + random.bounded(12), 2, 10, QLatin1Char('0'))
                                      .arg(1 + random.bounded(28), 2, 10, QLatin1Char('0')).arg(random.bounded(24), 2, 10, QLatin1Char('0'))
                                      .arg(random.bounded(60), 2, 10, QLatin1Char('0')).arg(random.bounded(60), 2, 10, QLatin1Char('0'))
                                      .arg(micros, 6, 10, QLatin1Char('0'));
            const QString f = random.bounded(3) == 0 ? floats[random.bounded(floats.size())]
                                                     : QString::number(random.generateDouble() * 1e6 - 5e5, 'g', 17);
            const QString f4 = f == QLatin1String("1e300") || f.startsWith(QLatin1String("-2.225")) ? QStringLiteral("1.17549435e-38") : f;
            QByteArray bytes(random.bounded(40), '\0');
            for (char &b : bytes)
                b = char(random.bounded(256));
            values << QStringLiteral("(%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,%20,%21)")
                          .arg(id)
                          .arg(maybe(QString::number(random.bounded(65536) - 32768)))
                          .arg(maybe(QString::number(qint32(random.generate()))))
                          .arg(maybe(QStringLiteral("%1.%2").arg(random.bounded(2000000) - 1000000).arg(random.bounded(10000))))
                          .arg(maybe(random.bounded(10) == 0 ? QStringLiteral("'NaN'") : QStringLiteral("-0.000%1").arg(random.bounded(100000))))
                          .arg(maybe(f4 + QStringLiteral("::float4")))
                          .arg(maybe(f + QStringLiteral("::float8") + (big < 0 ? QString() : QString())))
                          .arg(maybe(random.bounded(2) ? QStringLiteral("true") : QStringLiteral("false")))
                          .arg(maybe(sqlText(text)))
                          .arg(maybe(sqlText(text.left(20))))
                          .arg(maybe(sqlText(text.left(2))))
                          .arg(maybe(stamp + QStringLiteral("::date")))
                          .arg(maybe(stamp + QStringLiteral("::time")))
                          .arg(maybe(stamp + QStringLiteral("::timestamp")))
                          .arg(maybe(stamp + QStringLiteral("::timestamptz")))
                          .arg(maybe(QStringLiteral("'\\x%1'::bytea").arg(QString::fromLatin1(bytes.toHex()))))
                          .arg(maybe(QStringLiteral("gen_random_uuid()")))
                          .arg(maybe(QStringLiteral("json_build_object('k', %1, 'n', %2)").arg(sqlText(text)).arg(big)))
                          .arg(maybe(QStringLiteral("jsonb_build_object('k', %1, 'a', ARRAY[1,2])").arg(sqlText(text))))
                          .arg(maybe(QStringLiteral("ARRAY[%1, NULL, -3]").arg(qint32(random.generate()))))
                          .arg(maybe(QStringLiteral("ARRAY[%1, NULL, 'x y', '']").arg(sqlText(text))));
        }
        if (qEnvironmentVariableIsSet("DEBUG_VALUES"))
            for (const QString &v : values) if (v.contains(QLatin1String("1960"))) { qWarning("%s", qPrintable(v)); break; }
        QVERIFY(exec(QStringLiteral("INSERT INTO copy_kinds VALUES ") + values.join(QLatin1Char(','))));
        QVERIFY(exec(QStringLiteral("INSERT INTO copy_kinds (id) VALUES (0)"))); // NULL in every column

        const QString sql = QStringLiteral("SELECT * FROM copy_kinds ORDER BY id");
        QueryOptions options;
        options.rowsetSize = 1024; // several blocks
        auto odbc = m_connection->execute(sql, options);
        WAREHOUSE_VERIFY_OK(odbc);
        const std::vector<Column> odbcColumns = (*odbc)->columns();
        auto odbcRows = readCells(**odbc);
        WAREHOUSE_VERIFY_OK(odbcRows);
        odbc->reset();

        auto copy = openModelQuery(*m_connection, specFor(m_config), sql, options);
        WAREHOUSE_VERIFY_OK(copy);
        QStringList types;
        for (const Column &column : odbcColumns)
            types << column.typeName + QLatin1Char('/') + columnKindName(column.kind);
        QVERIFY2(dynamic_cast<PgCopyCursor *>(copy->get()),
                 qPrintable(QStringLiteral("these types are read with COPY: ") + types.join(QLatin1Char(' '))));
        QCOMPARE((*copy)->columns().size(), odbcColumns.size());
        for (size_t c = 0; c < odbcColumns.size(); ++c) {
            QCOMPARE((*copy)->columns()[c].name, odbcColumns[c].name);
            QCOMPARE(int((*copy)->columns()[c].kind), int(odbcColumns[c].kind));
        }
        auto copyRows = readCells(**copy);
        WAREHOUSE_VERIFY_OK(copyRows);
        QCOMPARE(copyRows->size(), odbcRows->size());
        QCOMPARE(qint64(copyRows->size()), qint64(3001));
        QCOMPARE((*copy)->rowsFetched(), qint64(3001));
        for (size_t r = 0; r < odbcRows->size(); ++r)
            for (qsizetype c = 0; c < (*odbcRows)[r].size(); ++c)
                if ((*copyRows)[r][c] != (*odbcRows)[r][c])
                    QFAIL(qPrintable(QStringLiteral("row %1 column %2 (%3): COPY %4, ODBC %5")
                                         .arg(r).arg(odbcColumns[size_t(c)].name, odbcColumns[size_t(c)].typeName,
                                                     (*copyRows)[r][c], (*odbcRows)[r][c])));
    }

    void infiniteAndBcDatesAsOdbcOrALoudFailure()
    {
        // Values whose text has another shape. Timestamps: what psqlODBC gives (infinity as
        // 9999-12-31T23:59:59, BC as a negative year). Dates, where psqlODBC is wrong (infinity
        // becomes today, BC is dropped): a failure naming the column, never another value.
        const QStringList values = {QStringLiteral("infinity"), QStringLiteral("-infinity"), QStringLiteral("0044-03-15 12:00:01.5+00 BC"),
                                    QStringLiteral("12345-01-01 00:00+00")};
        for (const QString &type : {QStringLiteral("date"), QStringLiteral("timestamp"), QStringLiteral("timestamptz")}) {
            for (const QString &value : values) {
                const QString sql = QStringLiteral("SELECT 1::int8 AS id, '%1'::%2 AS v").arg(value, type);
                auto odbc = m_connection->execute(sql, {});
                WAREHOUSE_VERIFY_OK(odbc);
                auto odbcRows = readCells(**odbc);
                odbc->reset();
                WAREHOUSE_VERIFY_OK(odbcRows);
                auto copy = openModelQuery(*m_connection, specFor(m_config), sql, {});
                WAREHOUSE_VERIFY_OK(copy);
                QVERIFY(dynamic_cast<PgCopyCursor *>(copy->get()));
                auto copyRows = readCells(**copy);
                const auto odbcText = odbcRows->front().last();
                const QString text = QString::fromLatin1(QByteArray::fromHex(odbcText.mid(2).toLatin1()));
                const bool mustMatch = type != QLatin1String("date") && !value.startsWith(QLatin1String("12345"));
                if (!copyRows) {
                    QVERIFY2(!mustMatch, qPrintable(QStringLiteral("%1 %2: %3").arg(type, value, copyRows.error().message)));
                    QCOMPARE(copyRows.error().code, QStringLiteral("query.copy_value"));
                    QVERIFY2(copyRows.error().message.contains(QLatin1String("SYNCLINE_PG_COPY=0")), qPrintable(copyRows.error().message));
                    qInfo("%s '%s': COPY refuses it; psqlODBC gives \"%s\"", qPrintable(type), qPrintable(value), qPrintable(text));
                    continue;
                }
                QVERIFY2(copyRows->front() == odbcRows->front(),
                         qPrintable(QStringLiteral("%1 %2: ODBC \"%3\"").arg(type, value, text)));
            }
        }
    }

    void switchAndUncheckedTypesKeepOdbc()
    {
        const QString sql = QStringLiteral("SELECT 1::int8 AS id, interval '1 day 02:00' AS span");
        auto cursor = openModelQuery(*m_connection, specFor(m_config), sql, {});
        WAREHOUSE_VERIFY_OK(cursor);
        QVERIFY2(!dynamic_cast<PgCopyCursor *>(cursor->get()), "interval is not a checked type: ODBC reads it");
        QCOMPARE(readAll(**cursor).size(), size_t(1));

        qputenv("SYNCLINE_PG_COPY", "0");
        auto forced = openModelQuery(*m_connection, specFor(m_config), QStringLiteral("SELECT 1::int8 AS id"), {});
        qunsetenv("SYNCLINE_PG_COPY");
        WAREHOUSE_VERIFY_OK(forced);
        QVERIFY2(!dynamic_cast<PgCopyCursor *>(forced->get()), "SYNCLINE_PG_COPY=0 reads through ODBC");
    }

    void aServerErrorReadsLikeTheOdbcOne()
    {
        // Fails at row 500, after rows were streamed: the failure comes from the fetch.
        const QString sql = QStringLiteral("SELECT g::int8 AS id, 1000 / (g - 500) AS q FROM generate_series(1, 1000) g");
        auto odbc = m_connection->execute(sql, {});
        Error odbcError;
        if (!odbc) {
            odbcError = odbc.error();
        } else {
            auto read = readCells(**odbc);
            QVERIFY(!read);
            odbcError = read.error();
        }
        odbc = {};
        auto copy = openModelQuery(*m_connection, specFor(m_config), sql, {});
        WAREHOUSE_VERIFY_OK(copy);
        QVERIFY(dynamic_cast<PgCopyCursor *>(copy->get()));
        auto read = readCells(**copy);
        QVERIFY(!read);
        QCOMPARE(read.error().code, odbcError.code);
        QCOMPARE(read.error().detail(QStringLiteral("sqlstate")), QStringLiteral("22012"));
        QVERIFY2(read.error().message.contains(QLatin1String("division by zero")), qPrintable(read.error().message));
    }

    void cancelStopsAQueryTheServerIsStillRunning()
    {
        CancellationToken token;
        QueryOptions options;
        options.cancellation = token;
        // The server sleeps before the first row: the reader waits inside libpq until cancelled.
        // (The server sends nothing before its first rows, so the wait may be in open() or fetch().)
        const QString sql = QStringLiteral("SELECT g::int8 AS id FROM generate_series(1, 1) g WHERE pg_sleep(60)::text = ''");
        std::thread canceller([token] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            token.cancel();
        });
        auto cursor = openModelQuery(*m_connection, specFor(m_config), sql, options);
        Error error;
        if (!cursor) {
            error = cursor.error();
        } else {
            QVERIFY(dynamic_cast<PgCopyCursor *>(cursor->get()));
            RowBatch batch;
            auto more = (*cursor)->fetch(batch);
            QVERIFY(!more);
            error = more.error();
        }
        canceller.join();
        QCOMPARE(error.code, QStringLiteral("query.cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestPgCopyCursor)
#include "tst_pgcopycursor.moc"
