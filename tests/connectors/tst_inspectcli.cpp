// `syncline-cli connectors` and `syncline-cli inspect` as a user or a script runs them: the
// connector catalogue as JSON and as a table, a run's exchanges (redacted, bodies cut, --failed,
// --json), a run that sent to a file, and a run that does not exist.
#include "engine/definitions/definitions.h"
#include "engine/state/definitionstore.h"
#include "engine/state/exchangelog.h"
#include "engine/state/runstore.h"
#include "engine/state/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;

namespace {

const QByteArray kToken = "tok-inspect-4d2f8a91";

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult cli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"), arguments);
    if (!process.waitForFinished(60000))
        qFatal("syncline-cli did not finish");
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError()) };
}

qint64 runOf(state::Workspace &workspace, const QString &syncName, const QString &destination)
{
    state::DefinitionStore definitions(workspace);
    SyncDef sync;
    sync.name = syncName;
    sync.model = QStringLiteral("m");
    sync.destination = destination;
    sync.object = QStringLiteral("people");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    if (!definitions.saveSync(sync))
        return -1;
    auto run = state::RunStore(workspace).create(*definitions.syncId(syncName), std::nullopt, 1, 1, 0);
    return run ? *run : -1;
}

} // namespace

class TestInspectCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;
    qint64 m_apiRun = 0;
    qint64 m_fileRun = 0;
    QByteArray m_longBody;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(QStringLiteral("inspect.syncline"));
        auto workspace = state::Workspace::open(m_workspace);
        QVERIFY(workspace);
        state::DefinitionStore definitions(**workspace);
        QVERIFY(definitions.saveSource(SourceDef { QStringLiteral("src"), QStringLiteral("DSN=x"), {} }));
        QVERIFY(definitions.saveModel(ModelDef {
            QStringLiteral("m"), QStringLiteral("src"), QStringLiteral("select 1 as id"), { QStringLiteral("id") } }));
        QVERIFY(definitions.saveDestination(DestinationDef { QStringLiteral("api"), QStringLiteral("http"), {}, {} }));
        QVERIFY(definitions.saveDestination(DestinationDef {
            QStringLiteral("files"), QStringLiteral("file"), { { QStringLiteral("folder"), m_dir.path() } }, {} }));
        m_apiRun = runOf(**workspace, QStringLiteral("to-api"), QStringLiteral("api"));
        m_fileRun = runOf(**workspace, QStringLiteral("to-files"), QStringLiteral("files"));
        QVERIFY(m_apiRun > 0 && m_fileRun > 0);

        // What an HTTP connector would record: one accepted batch with a long body, one refused.
        state::ExchangeLog log(**workspace, m_apiRun, { QString::fromLatin1(kToken) });
        QByteArray records = "[";
        for (int i = 0; i < 60; ++i)
            records += (i ? "," : "") + QByteArray("{\"id\":") + QByteArray::number(i) + ",\"email\":\"person"
                + QByteArray::number(i) + "@example.com\"}";
        m_longBody = records + "]";
        connector::Exchange ok;
        ok.method = QStringLiteral("POST");
        ok.url = QStringLiteral("https://api.example.com/people");
        ok.status = 200;
        ok.startedAtMs = 1'764'000'000'000;
        ok.durationMs = 143;
        ok.requestHeaders = { { "Authorization", "Bearer " + kToken }, { "Content-Type", "application/json" } };
        ok.requestBody = m_longBody;
        ok.responseBody = "{\"accepted\":60}";
        log.record(ok);
        connector::Exchange refused = ok;
        refused.url = QStringLiteral("https://api.example.com/people?api_key=") + QString::fromLatin1(kToken);
        refused.status = 422;
        refused.failed = true;
        refused.error = QStringLiteral("2 records rejected");
        refused.requestBody = "[{\"id\":61,\"email\":\"not-an-email\"}]";
        refused.responseBody = "{\"errors\":[{\"index\":0,\"message\":\"email is invalid\"}]}";
        log.record(refused);
        QVERIFY((*workspace)->transaction([&] { return log.writePending(); }));
        log.pendingWritten();
    }

    void connectorsJsonListsTheFileTypeWithItsSettings()
    {
        const CliResult result = cli({ QStringLiteral("connectors"), QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QJsonObject file;
        for (const QJsonValue &type : document.object().value(QStringLiteral("connectors")).toArray())
            if (type.toObject().value(QStringLiteral("id")).toString() == QLatin1String("file"))
                file = type.toObject();
        QVERIFY2(!file.isEmpty(), qPrintable(result.out));
        const QJsonObject capabilities = file.value(QStringLiteral("capabilities")).toObject();
        QCOMPARE(capabilities.value(QStringLiteral("operations")).toArray(),
            (QJsonArray { QStringLiteral("upsert"), QStringLiteral("update"), QStringLiteral("insert"),
                QStringLiteral("delete"), QStringLiteral("clear") }));
        QCOMPARE(capabilities.value(QStringLiteral("max_batch_size")).toInt(), 1000);
        const QJsonArray settings = file.value(QStringLiteral("settings")).toArray();
        QCOMPARE(settings.size(), 3);
        const QJsonObject folder = settings.at(0).toObject();
        QCOMPARE(folder.value(QStringLiteral("key")).toString(), QStringLiteral("folder"));
        QCOMPARE(folder.value(QStringLiteral("type")).toString(), QStringLiteral("path"));
        QCOMPARE(folder.value(QStringLiteral("required")).toBool(), true);
        QCOMPARE(folder.value(QStringLiteral("secret")).toBool(), false);
        const QJsonObject format = settings.at(1).toObject();
        QCOMPARE(format.value(QStringLiteral("type")).toString(), QStringLiteral("choice"));
        QCOMPARE(format.value(QStringLiteral("default")).toString(), QStringLiteral("jsonl"));
        QCOMPARE(format.value(QStringLiteral("choices")).toArray(),
            (QJsonArray { QStringLiteral("csv"), QStringLiteral("jsonl") }));
        QVERIFY(!format.value(QStringLiteral("help")).toString().isEmpty());
    }

    void connectorsTableShowsEachTypeAndSetting()
    {
        const CliResult result = cli({ QStringLiteral("connectors") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith(QStringLiteral("file  Files (CSV or JSON Lines)\n"))
                || result.out.contains(QStringLiteral("\nfile  Files (CSV or JSON Lines)\n")),
            qPrintable(result.out));
        QVERIFY(result.out.contains(
            QStringLiteral("can upsert, update, insert, delete, clear; up to 1,000 records per batch")));
        QVERIFY(result.out.contains(QStringLiteral("    format  choice  no        jsonl     one of csv, jsonl.")));
        QCOMPARE(cli({ QStringLiteral("connectors"), QStringLiteral("extra") }).exitCode, 2);
    }

    void inspectShowsRedactedExchangesWithBodiesCut()
    {
        const CliResult result
            = cli({ QStringLiteral("inspect"), QString::number(m_apiRun), QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(result.exitCode, 0);
        const QString &out = result.out;
        QVERIFY2(
            out.startsWith(
                QStringLiteral("run %1 of sync 'to-api' (running): 2 exchanges made, 1 failed; 2 kept").arg(m_apiRun)),
            qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("#1  POST https://api.example.com/people\n    200  143 ms  at ")));
        QVERIFY(out.contains(QStringLiteral("    Authorization: [redacted]\n")));
        QVERIFY(out.contains(QStringLiteral("    %1\n").arg(QString::fromLatin1(m_longBody.left(2000)))));
        QVERIFY(!out.contains(QString::fromLatin1(m_longBody.left(2001))));
        QVERIFY(out.contains(
            QStringLiteral("    [cut at 2,000 characters; the body had %1 bytes, --json shows the first %1]")
                .arg(QLocale(QLocale::English).toString(m_longBody.size()))));
        QVERIFY(out.contains(
            QStringLiteral("#2  POST https://api.example.com/people?api_key=[redacted]\n    422  143 ms")));
        QVERIFY(out.contains(QStringLiteral("FAILED\n    error: 2 records rejected\n")));
        QVERIFY(out.contains(QStringLiteral("{\"errors\":[{\"index\":0,\"message\":\"email is invalid\"}]}")));
        QVERIFY(!out.contains(QString::fromLatin1(kToken)));

        const CliResult failed = cli({ QStringLiteral("inspect"), QString::number(m_apiRun), QStringLiteral("--failed"),
            QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(failed.exitCode, 0);
        QVERIFY(failed.out.contains(QStringLiteral("#2  POST")));
        QVERIFY(!failed.out.contains(QStringLiteral("#1  POST")));
    }

    void inspectJsonGivesWhatIsStored()
    {
        const CliResult result = cli({ QStringLiteral("inspect"), QString::number(m_apiRun), QStringLiteral("--json"),
            QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(result.exitCode, 0);
        const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(object.value(QStringLiteral("run")).toInteger(), m_apiRun);
        QCOMPARE(object.value(QStringLiteral("recorded")).toInt(), 2);
        const QJsonArray exchanges = object.value(QStringLiteral("exchanges")).toArray();
        QCOMPARE(exchanges.size(), 2);
        const QJsonObject first = exchanges.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(first.value(QStringLiteral("duration_ms")).toInt(), 143);
        const QJsonObject request = first.value(QStringLiteral("request")).toObject();
        QCOMPARE(request.value(QStringLiteral("body")).toString(), QString::fromLatin1(m_longBody));
        QCOMPARE(request.value(QStringLiteral("body_truncated")).toBool(), false);
        QCOMPARE(request.value(QStringLiteral("headers")).toArray().at(0).toArray(),
            (QJsonArray { QStringLiteral("Authorization"), QStringLiteral("[redacted]") }));
        QCOMPARE(exchanges.at(1).toObject().value(QStringLiteral("failed")).toBool(), true);
    }

    void inspectOfAFileRunOrAMissingRunSaysSo()
    {
        const CliResult file = cli(
            { QStringLiteral("inspect"), QString::number(m_fileRun), QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(file.exitCode, 0);
        QCOMPARE(file.out,
            QStringLiteral("run %1 sent to a file destination; the inspector records HTTP exchanges only\n")
                .arg(m_fileRun));

        const CliResult missing
            = cli({ QStringLiteral("inspect"), QStringLiteral("9999"), QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.err.trimmed(),
            QStringLiteral("syncline-cli: there is no run 9999 in this workspace; 'syncline-cli runs' lists the runs"));

        const CliResult notANumber
            = cli({ QStringLiteral("inspect"), QStringLiteral("last"), QStringLiteral("--workspace"), m_workspace });
        QCOMPARE(notANumber.exitCode, 2);
        QVERIFY(notANumber.err.contains(QStringLiteral("'last' is not a run number")));
    }
};

QTEST_GUILESS_MAIN(TestInspectCli)
#include "tst_inspectcli.moc"
