// Whole syncs into the generic http destination, as a user runs them: a SQLite warehouse, the
// engine's planner and runner, the built-in connector registry, and the loopback fake API
// failing a share of its requests at random. After each run the API holds exactly the model.

#include "connectors/builtinconnectors.h"
#include "engine/state/definitionstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "tests/fakes/fakeapi.h"
#include "tests/sync/syncfixture.h"

#include <thread>

using namespace synctest;
using syncline::testfakes::FakeApi;
using syncline::testfakes::FakeApiConfig;
using syncline::testfakes::Fault;
using syncline::testfakes::RejectStyle;

namespace {

struct HttpSync
{
    FakeApi api;
    SyncSetup setup;

    HttpSync(SyncMode mode, std::optional<RemovedRowAction> onRemoved, FakeApiConfig config)
        : api(std::move(config))
        , setup(mode, onRemoved)
    {
        QString error;
        if (!api.start(0, &error))
            qFatal("fake API did not start: %s", qPrintable(error));
        syncline::connectors::registerBuiltinConnectors(setup.registry);
        DestinationDef destination;
        destination.name = QStringLiteral("api");
        destination.type = QStringLiteral("http");
        destination.settings
            = { { QStringLiteral("base_url"), api.url().toString() }, { QStringLiteral("batch_size"), 10 },
                  { QStringLiteral("concurrency"), 3 }, { QStringLiteral("timeout"), QStringLiteral("500ms") },
                  { QStringLiteral("retry_delay"), QStringLiteral("5ms") }, { QStringLiteral("max_attempts"), 12 } };
        SyncSetup::check(state::DefinitionStore(*setup.workspace).saveDestination(destination));
        setup.sync.destination = destination.name;
        setup.saveSync();
    }

    void fill(int first, int last, const char *prefix)
    {
        for (int id = first; id <= last; ++id)
            setup.warehouse->exec("INSERT OR REPLACE INTO people VALUES (" + std::to_string(id) + ", '" + prefix
                + std::to_string(id) + "', " + std::to_string(id) + ", 'j')");
    }

    state::RunInfo run(const CancellationToken &cancellation = CancellationToken())
    {
        auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
        if (!plan)
            qFatal("plan failed: %s", qPrintable(plan.error().toString()));
        sync::ApplyOptions options;
        options.cancellation = cancellation;
        options.retryDelay = std::chrono::milliseconds(1);
        auto run = sync::SyncRunner(setup.services()).apply(plan->id, options);
        if (!run)
            qFatal("apply failed: %s", qPrintable(run.error().toString()));
        return *run;
    }

    // The API's records as id -> name.
    QMap<QString, QString> names() const
    {
        QMap<QString, QString> result;
        const auto records = api.records();
        for (auto it = records.cbegin(); it != records.cend(); ++it)
            result.insert(it.key(), it.value().value(QStringLiteral("name")).toString());
        return result;
    }
};

QMap<QString, QString> expected(int first, int last, const QString &prefix, QMap<QString, QString> base = {})
{
    for (int id = first; id <= last; ++id)
        base.insert(QString::number(id), prefix + QString::number(id));
    return base;
}

} // namespace

class TestHttpSync : public QObject
{
    Q_OBJECT

private slots:
    void aMirrorSyncEndsEqualToTheModelThroughRandomFaults()
    {
        FakeApiConfig config;
        config.randomFaultRate = 0.2;
        config.randomFaults = { Fault::InternalError, Fault::BadGateway, Fault::Unavailable, Fault::NoReply,
            Fault::ResetMidResponse, Fault::LostAck };
        config.seed = 42;
        HttpSync sync(SyncMode::Mirror, RemovedRowAction::Delete, config);
        sync.fill(1, 300, "n");
        auto first = sync.run();
        QCOMPARE(first.status, QStringLiteral("succeeded"));
        QCOMPARE(first.counts.accepted, 300);
        QCOMPARE(sync.names(), expected(1, 300, QStringLiteral("n")));
        QVERIFY(sync.api.counters().faults.size() > 0);

        sync.setup.warehouse->exec("DELETE FROM people WHERE id > 250");
        sync.setup.warehouse->exec("UPDATE people SET name = 'm' || id WHERE id <= 40");
        auto second = sync.run();
        QCOMPARE(second.status, QStringLiteral("succeeded"));
        QCOMPARE(second.counts.accepted, 90);
        QCOMPARE(sync.names(), expected(1, 40, QStringLiteral("m"), expected(41, 250, QStringLiteral("n"))));

        auto third = sync.run();
        QCOMPARE(third.counts.sent, 0);
    }

    void rejectedRowsStayDirtyAndAreSentByTheNextRun()
    {
        FakeApiConfig config;
        config.rejectStyle = RejectStyle::WholeBatch400;
        config.rejectRecord = [](const QJsonObject &record) {
            return record.value(QStringLiteral("name")).toString() == QLatin1String("n7")
                || record.value(QStringLiteral("name")).toString() == QLatin1String("n33");
        };
        HttpSync sync(SyncMode::Upsert, std::nullopt, config);
        sync.fill(1, 50, "n");
        auto first = sync.run();
        QCOMPARE(first.status, QStringLiteral("partial"));
        QCOMPARE(first.counts.accepted, 48);
        QCOMPARE(first.counts.rejected, 2);
        QCOMPARE(sync.api.records().size(), 48);
        // Good rows were delivered exactly once despite the split retries.
        const auto perKey = sync.api.upsertsPerKey();
        QCOMPARE(perKey.size(), 48);
        for (auto it = perKey.cbegin(); it != perKey.cend(); ++it)
            QCOMPARE(it.value(), 1);

        auto fixed = sync.api.config();
        fixed.rejectRecord = {};
        sync.api.setConfig(fixed);
        auto second = sync.run();
        QCOMPARE(second.status, QStringLiteral("succeeded"));
        QCOMPARE(second.counts.sent, 2);
        QCOMPARE(sync.names(), expected(1, 50, QStringLiteral("n")));
    }

    void aRunCancelledMidDeliveryLosesNothing()
    {
        FakeApiConfig config;
        config.latencyMs = 300;
        HttpSync sync(SyncMode::Upsert, std::nullopt, config);
        sync.fill(1, 60, "n");
        CancellationToken cancellation;
        // Cancels from another thread once a few requests were answered, as Ctrl-C or the GUI would.
        std::thread canceller([&] {
            while (sync.api.counters().requests < 3)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            cancellation.cancel();
        });
        auto cancelled = sync.run(cancellation);
        canceller.join();
        QCOMPARE(cancelled.status, QStringLiteral("cancelled"));
        QVERIFY(cancelled.counts.accepted < 60);
        // Everything acknowledged is in the API; the rest is sent by the next run, and only that.
        QVERIFY(sync.api.records().size() >= cancelled.counts.accepted);
        auto resumed = sync.run();
        QCOMPARE(resumed.status, QStringLiteral("succeeded"));
        QCOMPARE(resumed.counts.sent, 60 - cancelled.counts.accepted);
        QCOMPARE(sync.names(), expected(1, 60, QStringLiteral("n")));
    }

    void clearingRemovedRowsSendsTheirFieldsAsNull()
    {
        HttpSync sync(SyncMode::Upsert, RemovedRowAction::Clear, FakeApiConfig {});
        sync.fill(1, 5, "n");
        QCOMPARE(sync.run().counts.accepted, 5);
        sync.setup.warehouse->exec("DELETE FROM people WHERE id = 2");
        auto cleared = sync.run();
        QCOMPARE(cleared.counts.accepted, 1);
        const QJsonObject record = sync.api.records().value(QStringLiteral("2"));
        QVERIFY(record.value(QStringLiteral("name")).isNull());
        QVERIFY(record.value(QStringLiteral("score")).isNull());
        QCOMPARE(sync.api.records().size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestHttpSync)
#include "tst_httpsync.moc"
