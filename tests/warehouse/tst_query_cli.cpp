// `syncline-cli query` end to end: the built executable against a SQLite database file.
#include "engine/warehouse/odbcconnection.h"
#include "warehousetesthelpers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

class TestQueryCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_connection;

    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Outcome cli(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"), arguments);
        if (!process.waitForFinished(60000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
                process.readAllStandardError()};
    }

    QStringList query(const QString &format) const
    {
        return {QStringLiteral("query"), QStringLiteral("--connection"), m_connection, QStringLiteral("--sql"),
                QStringLiteral("SELECT id, name, score, active, note FROM people ORDER BY id"), QStringLiteral("--format"), format};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_connection = QStringLiteral("Driver={SQLite3};Database=") + m_dir.filePath(QStringLiteral("people.db"));
        ConnectionSpec spec;
        spec.connectionString = m_connection;
        auto connection = OdbcConnection::open(spec);
        WAREHOUSE_VERIFY_OK(connection);
        for (const char *sql : {"CREATE TABLE people (id integer, name text, score double, active boolean, note text)",
                                "INSERT INTO people VALUES (1, 'Ada \xf0\x9f\x98\x80', 1.5, 1, 'says \"hi\", then leaves')",
                                "INSERT INTO people VALUES (2, '', -2, 0, 'two\nlines')",
                                "INSERT INTO people VALUES (3, NULL, NULL, NULL, NULL)"}) {
            auto done = (*connection)->executeUpdate(QString::fromUtf8(sql));
            WAREHOUSE_VERIFY_OK(done);
        }
    }

    void csvFollowsRfc4180()
    {
        const Outcome outcome = cli(query(QStringLiteral("csv")));
        QVERIFY2(outcome.exitCode == 0, outcome.err.constData());
        QCOMPARE(outcome.out, QByteArray("id,name,score,active,note\r\n"
                                         "1,Ada \xf0\x9f\x98\x80,1.5,true,\"says \"\"hi\"\", then leaves\"\r\n"
                                         "2,\"\",-2,false,\"two\nlines\"\r\n"
                                         "3,,,,\r\n"));
    }

    void jsonLinesCarryTypedValues()
    {
        const Outcome outcome = cli(query(QStringLiteral("jsonl")));
        QVERIFY2(outcome.exitCode == 0, outcome.err.constData());
        const QList<QByteArray> lines = outcome.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(first.value(QStringLiteral("id")).toInteger(), 1);
        QVERIFY(first.value(QStringLiteral("id")).isDouble());
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral(u"Ada \U0001F600"));
        QCOMPARE(first.value(QStringLiteral("score")).toDouble(), 1.5);
        QCOMPARE(first.value(QStringLiteral("active")).toBool(), true);
        QVERIFY(first.value(QStringLiteral("active")).isBool());
        QCOMPARE(first.value(QStringLiteral("note")).toString(), QStringLiteral("says \"hi\", then leaves"));
        const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(second.value(QStringLiteral("note")).toString(), QStringLiteral("two\nlines"));
        const QJsonObject third = QJsonDocument::fromJson(lines[2]).object();
        QVERIFY(third.value(QStringLiteral("name")).isNull());
        QVERIFY(third.value(QStringLiteral("active")).isNull());
    }

    void noneCountsRowsOnStderr()
    {
        QStringList arguments = query(QStringLiteral("none"));
        arguments << QStringLiteral("--limit") << QStringLiteral("2");
        const Outcome outcome = cli(arguments);
        QVERIFY2(outcome.exitCode == 0, outcome.err.constData());
        QVERIFY(outcome.out.isEmpty());
        static const QRegularExpression summary(QStringLiteral("^2 rows in [0-9]+\\.[0-9]{3} s \\([0-9]+ rows/s\\)\n$"));
        QVERIFY2(summary.match(QString::fromUtf8(outcome.err)).hasMatch(), outcome.err.constData());
    }

    void tableIsAlignedWithAHeader()
    {
        const Outcome outcome = cli(query(QStringLiteral("table")));
        QVERIFY2(outcome.exitCode == 0, outcome.err.constData());
        const QList<QByteArray> lines = outcome.out.split('\n');
        QVERIFY(lines[0].startsWith("id  name"));
        QVERIFY(lines[1].startsWith("--  ----"));
        QVERIFY(lines[4].startsWith(" 3  NULL"));
        QVERIFY(outcome.out.endsWith("(3 rows)\n"));
    }

    void badQueryFailsWithOneLine()
    {
        const Outcome outcome = cli({QStringLiteral("query"), QStringLiteral("--connection"), m_connection, QStringLiteral("--sql"),
                                     QStringLiteral("SELEC id FROM people"), QStringLiteral("--format"), QStringLiteral("csv")});
        QVERIFY(outcome.exitCode != 0);
        QVERIFY(outcome.out.isEmpty());
        QVERIFY2(outcome.err.startsWith("syncline-cli: The SQL has a syntax error"), outcome.err.constData());
        QCOMPARE(outcome.err.count('\n'), 1);
        QVERIFY(outcome.err.endsWith('\n'));
    }

    void passwordFromEnvironmentNeverShows()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("SYNCLINE_TEST_SECRET"), QStringLiteral("Sup3rS3cret"));
        const Outcome outcome = cli({QStringLiteral("query"), QStringLiteral("--connection"),
                                     QStringLiteral("Driver={No Such Driver};Server=127.0.0.1;Uid=u"), QStringLiteral("--sql"),
                                     QStringLiteral("SELECT 1"), QStringLiteral("--password-env"), QStringLiteral("SYNCLINE_TEST_SECRET")},
                                    environment);
        QVERIFY(outcome.exitCode != 0);
        QVERIFY2(outcome.err.contains("No Such Driver") && outcome.err.contains("not installed"), outcome.err.constData());
        QVERIFY(!outcome.err.contains("Sup3rS3cret") && !outcome.out.contains("Sup3rS3cret"));
        QCOMPARE(outcome.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestQueryCli)
#include "tst_query_cli.moc"
