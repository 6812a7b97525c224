// `syncline-cli demo`, as a new user runs it: the first run sends the demo customers to a CSV
// file and shows the dirty rows as invalid; the second run sends nothing.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class DemoCommandTest : public QObject
{
    Q_OBJECT

private:
    static QJsonObject runDemo(const QTemporaryDir &home, QString *errors)
    {
        QProcess cli;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("SYNCLINE_DEMO_DIR"), home.filePath(QStringLiteral("demo")));
        cli.setProcessEnvironment(environment);
        cli.start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"),
                  {QStringLiteral("demo"), QStringLiteral("--json"), QStringLiteral("--workspace"),
                   home.filePath(QStringLiteral("demo.syncline"))});
        if (!cli.waitForFinished(120000))
            return {};
        *errors = QString::fromUtf8(cli.readAllStandardError());
        if (cli.exitCode() != 0)
            return {};
        return QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    }

private slots:
    void firstRunSendsTheCustomersAndSecondRunSendsNothing()
    {
        QTemporaryDir home;
        QString errors;
        const QJsonObject first = runDemo(home, &errors);
        QVERIFY2(!first.isEmpty(), qPrintable(errors));
        QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        // 10,001 rows in the demo customers table, two of them sharing id 777.
        QCOMPARE(first.value(QStringLiteral("added")).toInt(), 9999);
        QCOMPARE(first.value(QStringLiteral("invalid")).toInt(), 2);
        QCOMPARE(first.value(QStringLiteral("sent")).toInt(), 9999);
        QCOMPARE(first.value(QStringLiteral("rejected")).toInt(), 0);

        QFile csv(first.value(QStringLiteral("folder")).toString() + QStringLiteral("/customers.csv"));
        QVERIFY2(csv.open(QIODevice::ReadOnly), qPrintable(csv.fileName()));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QVERIFY(lines.first().startsWith("customer_id,email,full_name"));
        QCOMPARE(std::count_if(lines.begin() + 1, lines.end(), [](const QByteArray &l) { return !l.trimmed().isEmpty(); }),
                 9999);

        const QJsonObject second = runDemo(home, &errors);
        QVERIFY2(!second.isEmpty(), qPrintable(errors));
        QCOMPARE(second.value(QStringLiteral("sent")).toInt(), 0);
        QCOMPARE(second.value(QStringLiteral("unchanged")).toInt(), 9999);
    }
};

QTEST_GUILESS_MAIN(DemoCommandTest)
#include "tst_democommand.moc"
