// Kills `syncline-cli run` of an `http` sync with SIGKILL mid-delivery, several times, at
// instants chosen from what the fake API has received (some while a written batch waits for
// its reply). After a final clean run the API holds exactly the model, and a record was
// written more than once only if the ledger had it in flight at a kill.
#include "httpsyncsetup.h"

#include "engine/state/ledgerstore.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>

using namespace httptest;
using namespace syncline::engine;
using syncline::testfakes::FakeApiConfig;
using syncline::testfakes::Fault;

namespace {

const QString kCli = QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli");

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliResult runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(kCli, arguments);
    process.waitForFinished(120000);
    return CliResult{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestHttpCrash : public QObject
{
    Q_OBJECT
private slots:
    void killedRunsEndEqualToTheModelAndResendOnlyRowsInFlight_data();
    void killedRunsEndEqualToTheModelAndResendOnlyRowsInFlight();
};

void TestHttpCrash::killedRunsEndEqualToTheModelAndResendOnlyRowsInFlight_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("faults"); // 10% of writes also fail: 5xx, 429, lost acknowledgements
    QTest::newRow("upsert") << int(SyncMode::Upsert) << false;
    QTest::newRow("insert only") << int(SyncMode::InsertOnly) << false;
    QTest::newRow("upsert, faulty API") << int(SyncMode::Upsert) << true;
}

void TestHttpCrash::killedRunsEndEqualToTheModelAndResendOnlyRowsInFlight()
{
    QFETCH(int, mode);
    QFETCH(bool, faults);
    QVERIFY2(QFileInfo::exists(kCli), "syncline-cli is not built");
    FakeApiConfig config;
    config.latencyMs = 40; // a written batch waits this long for its acknowledgement
    if (faults) {
        config.randomFaultRate = 0.10;
        config.randomFaults = {Fault::InternalError, Fault::Unavailable, Fault::TooManyRequests, Fault::LostAck};
        config.seed = 4711;
    }
    FakeApi api(config);
    QString error;
    QVERIFY2(api.start(0, &error), qPrintable(error));
    const int rows = 3000;
    const int batchSize = 50;
    HttpSyncSetup setup(api, rows,
                        QVariantMap{{QStringLiteral("batch_size"), batchSize},
                                    {QStringLiteral("concurrency"), 2},
                                    {QStringLiteral("timeout"), QStringLiteral("10s")}},
                        SyncMode(mode));
    const QStringList workspaceArgs{QStringLiteral("--workspace"), setup.workspacePath};

    QRandomGenerator random(8080);
    std::set<QString> inFlightAtKill;
    qint64 inFlightSum = 0;
    qint64 largestInFlight = 0;
    int kills = 0;
    int killsWithRowsInFlight = 0;
    const int wantedKills = 12;
    while (kills < wantedKills) {
        const qint64 before = api.counters().writeRequests;
        const qint64 killAfter = 1 + random.bounded(6);     // requests received in this run
        const int extraMs = int(random.bounded(60));        // 0..59 ms more: before or after the reply
        QProcess process;
        process.start(kCli, QStringList{QStringLiteral("run"), kSyncName} + workspaceArgs);
        QVERIFY(process.waitForStarted());
        bool finished = false;
        QElapsedTimer waited;
        waited.start();
        while (api.counters().writeRequests < before + killAfter) {
            if (process.waitForFinished(1)) {
                finished = true;
                break;
            }
            QVERIFY2(waited.elapsed() < 60000, "the run sent nothing for a minute");
        }
        if (finished) {
            // The whole remaining plan fit in fewer requests: nothing left to interrupt.
            QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
            break;
        }
        if (extraMs > 0 && process.waitForFinished(extraMs)) {
            QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
            break;
        }
        process.kill(); // SIGKILL
        process.waitForFinished();
        ++kills;

        auto workspace = state::Workspace::open(setup.workspacePath, state::Workspace::OpenMode::MustExist);
        QVERIFY(workspace);
        auto syncId = state::DefinitionStore(**workspace).syncId(kSyncName);
        QVERIFY(syncId);
        auto inFlight = state::LedgerStore(**workspace).inFlight(*syncId);
        QVERIFY(inFlight);
        for (const auto &entry : *inFlight)
            inFlightAtKill.insert(QString::fromStdString(entry.key));
        inFlightSum += qint64(inFlight->size());
        largestInFlight = std::max(largestInFlight, qint64(inFlight->size()));
        killsWithRowsInFlight += inFlight->empty() ? 0 : 1;
    }
    QVERIFY2(kills >= 3, qPrintable(QStringLiteral("only %1 kills landed before the sync completed").arg(kills)));
    QVERIFY2(killsWithRowsInFlight > 0, "no kill interrupted a batch in flight");

    const CliResult final = runCli(QStringList{QStringLiteral("run"), kSyncName, QStringLiteral("--json")} + workspaceArgs);
    QVERIFY2(final.exitCode == 0, final.err.constData());
    QCOMPARE(QJsonDocument::fromJson(final.out).object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const CliResult plan = runCli(QStringList{QStringLiteral("plan"), kSyncName, QStringLiteral("--json")} + workspaceArgs);
    QVERIFY2(plan.exitCode == 0, plan.err.constData());
    QCOMPARE(QJsonDocument::fromJson(plan.out).object().value(QStringLiteral("to_send")).toInteger(), 0);

    // The API equals the model.
    const QString diff = differences(api, setup.model());
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    // Only rows in flight at a kill (or whose acknowledgement the API lost) were written twice,
    // and no more often than they were in flight.
    const QHash<QString, int> upserts = api.upsertsPerKey();
    const QSet<QString> lostAcks = api.lostAckKeys();
    const qint64 lostAckRecords = api.counters().lostAckRecords;
    qint64 extraWrites = 0;
    for (auto it = upserts.cbegin(); it != upserts.cend(); ++it) {
        if (it.value() <= 1)
            continue;
        extraWrites += it.value() - 1;
        QVERIFY2(inFlightAtKill.count(it.key()) || lostAcks.contains(it.key()),
                 qPrintable(QStringLiteral("record %1 was written %2 times but was never in flight at a kill").arg(it.key()).arg(it.value())));
    }
    QCOMPARE(extraWrites, api.counters().duplicates);
    QVERIFY2(api.counters().duplicates <= inFlightSum + lostAckRecords,
             qPrintable(QStringLiteral("%1 duplicate writes, but only %2 rows were in flight over all kills (and %3 lost their ack)")
                            .arg(api.counters().duplicates)
                            .arg(inFlightSum)
                            .arg(lostAckRecords)));
    QVERIFY(inFlightSum <= qint64(kills) * largestInFlight);
    qInfo("%d kills (%d with rows in flight, at most %lld rows in flight); %lld repeated writes of %d records; "
          "%lld records lost their ack",
          kills, killsWithRowsInFlight, largestInFlight, api.counters().duplicates, rows, lostAckRecords);
}

QTEST_GUILESS_MAIN(TestHttpCrash)
#include "tst_httpcrash.moc"
