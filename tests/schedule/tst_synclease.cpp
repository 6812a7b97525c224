// The lease that keeps one sync from running twice at once: two workspace connections racing in
// threads (exactly one wins), a lease whose holder went silent (taken over once expired), a lease
// whose holder crashed on this machine (taken over at once), the heartbeat that keeps a long run's
// lease, and the refusal message the CLI prints.

#include "engine/definitions/definitions.h"
#include "engine/schedule/leasestore.h"
#include "engine/state/definitionstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"
#include "engine/sync/synclock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <barrier>
#include <thread>

using namespace syncline::engine;
using sync::SyncLock;

namespace {

struct LeaseSetup
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("leases.syncline"));
    qint64 syncId = 0;

    LeaseSetup()
    {
        auto workspace = state::Workspace::open(path);
        if (!workspace)
            qFatal("%s", qPrintable(workspace.error().message));
        state::DefinitionStore definitions(**workspace);
        SourceDef source{QStringLiteral("wh"), QStringLiteral("DSN=none"), {}};
        ModelDef model;
        model.name = QStringLiteral("m");
        model.source = source.name;
        model.sql = QStringLiteral("select 1 as id");
        model.primaryKey = {QStringLiteral("id")};
        DestinationDef destination;
        destination.name = QStringLiteral("d");
        destination.type = QStringLiteral("file");
        SyncDef sync;
        sync.name = QStringLiteral("nightly");
        sync.model = model.name;
        sync.destination = destination.name;
        for (auto ok : {definitions.saveSource(source), definitions.saveModel(model), definitions.saveDestination(destination),
                        definitions.saveSync(sync)})
            if (!ok)
                qFatal("%s", qPrintable(ok.error().message));
        syncId = *definitions.syncId(sync.name);
    }

    // Writes a lease row as another holder would have left it.
    void plantLease(qint64 pid, const QString &host, qint64 expiresAtMs)
    {
        auto workspace = state::Workspace::open(path, state::Workspace::OpenMode::MustExist);
        auto s = state::SqliteStatement::prepare((*workspace)->handle(),
                                                 QStringLiteral("INSERT OR REPLACE INTO sync_leases VALUES (?1, 'planted', ?2, ?3, ?4, ?5)"));
        QVERIFY(s);
        QVERIFY(s->bind(1, syncId).bind(2, pid).bind(3, host).bind(4, expiresAtMs - 60000).bind(5, expiresAtMs).run());
    }

    std::optional<schedule::LeaseHolder> holder()
    {
        auto workspace = state::Workspace::open(path, state::Workspace::OpenMode::MustExist);
        return *schedule::LeaseStore(**workspace).holder(syncId);
    }
};

qint64 deadPid()
{
    QProcess process;
    process.start(QStringLiteral("true"));
    process.waitForFinished();
    return process.processId() ? process.processId() : 999999;
}

} // namespace

class TestSyncLease : public QObject
{
    Q_OBJECT

private slots:
    void twoConnectionsRacingForOneSyncGiveOneWinner()
    {
        LeaseSetup setup;
        constexpr int kContenders = 4;
        for (int round = 0; round < 5; ++round) {
            std::barrier start(kContenders);
            std::atomic<int> winners{0};
            std::atomic<int> refusedAsRunning{0};
            std::vector<std::optional<SyncLock>> held(kContenders);
            std::vector<std::thread> threads;
            for (int i = 0; i < kContenders; ++i)
                threads.emplace_back([&, i] {
                    start.arrive_and_wait();
                    auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
                    if (lock) {
                        ++winners;
                        held[size_t(i)].emplace(std::move(*lock));
                    } else if (lock.error().code == QStringLiteral("sync.running")) {
                        ++refusedAsRunning;
                    }
                });
            for (auto &thread : threads)
                thread.join();
            QCOMPARE(winners.load(), 1);
            QCOMPARE(refusedAsRunning.load(), kContenders - 1);
            held.clear(); // released: the next round starts free
            QVERIFY(!setup.holder());
        }
    }

    void theRefusalNamesTheHoldersPid()
    {
        LeaseSetup setup;
        auto first = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
        QVERIFY(first);
        auto second = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
        QVERIFY(!second);
        QVERIFY2(second.error().message.startsWith(QStringLiteral("sync 'nightly' is already running (pid %1)")
                                                       .arg(QCoreApplication::applicationPid())),
                 qPrintable(second.error().message));
    }

    void anExpiredLeaseIsTakenOver()
    {
        LeaseSetup setup;
        // A holder on another machine, alive as far as we can tell, but silent past its expiry.
        setup.plantLease(4242, QStringLiteral("other-laptop"), QDateTime::currentMSecsSinceEpoch() - 1000);
        auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
        QVERIFY2(lock, lock ? "" : qPrintable(lock.error().message));
        QCOMPARE(setup.holder()->pid, qint64(QCoreApplication::applicationPid()));
    }

    void aLiveLeaseElsewhereIsRespectedUntilItExpires()
    {
        LeaseSetup setup;
        setup.plantLease(4242, QStringLiteral("other-laptop"), QDateTime::currentMSecsSinceEpoch() + 60000);
        auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
        QVERIFY(!lock);
        QVERIFY2(lock.error().message.contains(QStringLiteral("already running (pid 4242 on other-laptop)")),
                 qPrintable(lock.error().message));
    }

    void aCrashedHolderOnThisMachineLosesItsLeaseAtOnce()
    {
        LeaseSetup setup;
        setup.plantLease(deadPid(), schedule::LeaseStore::thisHost(), QDateTime::currentMSecsSinceEpoch() + 60000);
        auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"));
        QVERIFY2(lock, lock ? "" : qPrintable(lock.error().message));
    }

    void theHeartbeatKeepsALongRunsLease()
    {
        LeaseSetup setup;
        sync::LeaseTiming timing;
        timing.ttl = std::chrono::milliseconds(1500);
        timing.heartbeat = std::chrono::milliseconds(100);
        auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"), timing);
        QVERIFY(lock);
        const qint64 firstExpiry = setup.holder()->expiresAtMs;
        // Well past the first expiry, the lease is still held and renewed, so nobody takes it.
        QTRY_VERIFY_WITH_TIMEOUT(setup.holder()->expiresAtMs > firstExpiry + 1500, 20000);
        QVERIFY(setup.holder()->expiresAtMs > QDateTime::currentMSecsSinceEpoch());
        QVERIFY(!SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly")));
        QVERIFY(!lock->lost());
    }

    void aHolderThatStalledPastItsExpiryNoticesItLostTheLease()
    {
        LeaseSetup setup;
        sync::LeaseTiming timing;
        timing.ttl = std::chrono::milliseconds(60000);
        timing.heartbeat = std::chrono::milliseconds(100);
        auto lock = SyncLock::acquire(setup.path, setup.syncId, QStringLiteral("nightly"), timing);
        QVERIFY(lock);
        const CancellationToken run;
        lock->cancelWhenLost(run);
        // Someone else took it over (as after an expiry): the next heartbeat finds out, and the
        // run holding the lease is cancelled so the two do not send side by side.
        setup.plantLease(4242, QStringLiteral("other-laptop"), QDateTime::currentMSecsSinceEpoch() + 60000);
        QTRY_VERIFY_WITH_TIMEOUT(lock->lost(), 20000);
        QVERIFY(run.isCancelled());
        { const SyncLock released = std::move(*lock); }
        QCOMPARE(setup.holder()->host, QStringLiteral("other-laptop")); // releasing did not free someone else's lease
    }
};

QTEST_GUILESS_MAIN(TestSyncLease)
#include "tst_synclease.moc"
