// Ctrl-C on `syncline-cli run`: the command stops within seconds with exit code 6 and says it
// was cancelled; nothing is sent, and the next run starts cleanly and completes.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestCliInterrupt : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QProcess *startCli(const QStringList &arguments)
    {
        auto *cli = new QProcess(this);
        cli->start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"),
                   arguments + QStringList{QStringLiteral("--workspace"), path(QStringLiteral("ws.syncline"))});
        return cli;
    }

    // Imports a sync whose model counts to `rows` inside SQLite (no table needed).
    void defineSync(int rows)
    {
        QFile yaml(path(QStringLiteral("sync.yaml")));
        QVERIFY(yaml.open(QIODevice::WriteOnly | QIODevice::Truncate));
        yaml.write(QStringLiteral(
                       "sources:\n"
                       "  - name: gen\n"
                       "    connection: \"Driver={SQLite3};Database=%1\"\n"
                       "models:\n"
                       "  - name: numbers\n"
                       "    source: gen\n"
                       "    sql: \"with recursive n(id) as (select 1 union all select id + 1 from n where id < %2) "
                       "select id, 'user' || id || '@example.com' as email from n\"\n"
                       "    primary_key: [id]\n"
                       "destinations:\n"
                       "  - name: out\n"
                       "    type: file\n"
                       "    settings: { folder: %3, format: jsonl, layout: snapshot }\n"
                       "syncs:\n"
                       "  - name: numbers-out\n"
                       "    model: numbers\n"
                       "    destination: out\n"
                       "    object: numbers\n"
                       "    mode: upsert\n"
                       "    match: { column: id, field: id }\n"
                       "    mapping:\n"
                       "      - { column: email, field: email }\n")
                       .arg(path(QStringLiteral("gen.sqlite")))
                       .arg(rows)
                       .arg(path(QStringLiteral("out")))
                       .toUtf8());
        yaml.close();
        QProcess *import = startCli({QStringLiteral("import"), yaml.fileName()});
        QVERIFY(import->waitForFinished(30000));
        QVERIFY2(import->exitCode() == 0, import->readAllStandardError().constData());
    }

private slots:
    void ctrlCCancelsTheRunAndTheNextRunCompletes()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(path(QStringLiteral("out"))));
        defineSync(50000000); // far more than the run gets through before the interrupt

        QProcess *run = startCli({QStringLiteral("run"), QStringLiteral("numbers-out"), QStringLiteral("--json")});
        QVERIFY(run->waitForStarted());
        QTest::qWait(1500);
        QCOMPARE(run->state(), QProcess::Running);
        QElapsedTimer sinceInterrupt;
        sinceInterrupt.start();
        QCOMPARE(::kill(pid_t(run->processId()), SIGINT), 0);
        QVERIFY2(run->waitForFinished(30000), "the run did not stop within 30 s of Ctrl-C");
        const QString errors = QString::fromUtf8(run->readAllStandardError());
        QCOMPARE(run->exitStatus(), QProcess::NormalExit);
        QVERIFY2(run->exitCode() == 6, qPrintable(QStringLiteral("exit %1: %2").arg(run->exitCode()).arg(errors)));
        QVERIFY2(errors.contains(QStringLiteral("cancel")), qPrintable(errors));
        qInfo("stopped %lld ms after Ctrl-C", sinceInterrupt.elapsed());
        QVERIFY2(!QFile::exists(path(QStringLiteral("out/numbers.jsonl"))), "a cancelled plan sent rows");

        // A small model now: the next run is not blocked by anything the cancelled one left.
        defineSync(1000);
        QProcess *again = startCli({QStringLiteral("run"), QStringLiteral("numbers-out"), QStringLiteral("--json")});
        QVERIFY(again->waitForFinished(60000));
        QVERIFY2(again->exitCode() == 0, again->readAllStandardError().constData());
        const QJsonObject result = QJsonDocument::fromJson(again->readAllStandardOutput()).object();
        QCOMPARE(result.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(result.value(QStringLiteral("sent")).toInt(), 1000);
    }
};

QTEST_GUILESS_MAIN(TestCliInterrupt)
#include "tst_cliinterrupt.moc"
