// Guardrails, frozen plans, every mode and removed-row action, rejected rows, retries,
// cancellation and resets, against a fake destination and a SQLite warehouse over ODBC.
#include "syncfixture.h"

#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/state/runstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncreset.h"
#include "engine/sync/syncrunner.h"

using namespace synctest;
using namespace syncline::engine;
using connector::Operation;

namespace {

void fill(SyncSetup &setup, int rows)
{
    setup.warehouse->exec("DELETE FROM people");
    for (int id = 1; id <= rows; ++id)
        setup.warehouse->exec("INSERT INTO people VALUES (" + std::to_string(id) + ", 'n" + std::to_string(id) + "', "
                              + std::to_string(id) + ", 'j')");
}

state::PlanInfo planOf(SyncSetup &setup)
{
    auto plan = sync::SyncPlanner(setup.services()).plan(setup.sync.name);
    if (!plan)
        qFatal("plan failed: %s", qPrintable(plan.error().toString()));
    return *plan;
}

Result<state::RunInfo> apply(SyncSetup &setup, qint64 planId, bool force = false)
{
    sync::ApplyOptions options;
    options.force = force;
    options.retryDelay = std::chrono::milliseconds(1);
    return sync::SyncRunner(setup.services()).apply(planId, options);
}

state::RunInfo runOnce(SyncSetup &setup)
{
    auto run = apply(setup, planOf(setup).id);
    if (!run)
        qFatal("apply failed: %s", qPrintable(run.error().toString()));
    return *run;
}

int countOps(const FakeDestination &destination, Operation op)
{
    return int(std::count_if(destination.log.begin(), destination.log.end(), [op](const auto &entry) { return entry.second == op; }));
}

qint64 syncId(SyncSetup &setup)
{
    return *state::DefinitionStore(*setup.workspace).syncId(setup.sync.name);
}

} // namespace

class TestSyncBehaviour : public QObject
{
    Q_OBJECT
private slots:
    void emptyModelIsBlockedUnlessForced();
    void removingMoreThanTheAllowedShareIsBlocked();
    void stalePlanIsRefused();
    void appliedPlanIsRefused();
    void applySendsThePreviewedPlanEvenIfTheWarehouseChanged();
    void unmappedColumnChurnSendsNothing();
    void ledgerIndexMistakeFallsBackToTheExactPlan();
    void upsertModeIgnoresRemovedRows();
    void updateModeUpdatesExistingRecordsOnly();
    void insertModeSendsNewKeysOnly();
    void mirrorModeDeletesRemovedRows();
    void allModeSendsEveryRowEveryRun();
    void clearSendsNullFieldsAndKeepsTheRecord();
    void clearSendsALargeMatchValueExactly();
    void unsupportedOperationIsRefusedBeforeSending();
    void rejectedRowsStayDirtyForNextRun();
    void aMixedBatchRecordsEveryRowsOutcome();
    void retryableBatchFailuresAreRetried();
    void failedBatchLeavesRowsDirty();
    void cancellingMidRunLosesNothing();
    void fullResyncSendsEverythingOnce();
    void trackingOnlyResetSendsNothing();
    void duplicateAndNullKeysAreInvalidAndNeverSent();
};

void TestSyncBehaviour::emptyModelIsBlockedUnlessForced()
{
    SyncSetup setup(SyncMode::Mirror);
    fill(setup, 1234);
    QCOMPARE(runOnce(setup).status, QStringLiteral("succeeded"));
    setup.warehouse->exec("DELETE FROM people");
    const state::PlanInfo plan = planOf(setup);
    QVERIFY(plan.blocked);
    QVERIFY2(plan.guardrail.contains(QStringLiteral("the model returned no rows but 1,234 records were delivered before")),
             qPrintable(plan.guardrail));
    auto refused = apply(setup, plan.id);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("plan.blocked"));
    QCOMPARE(setup.destination->records.size(), size_t(1234));
    auto forced = apply(setup, plan.id, true);
    QVERIFY(forced);
    QCOMPARE(forced->status, QStringLiteral("succeeded"));
}

void TestSyncBehaviour::removingMoreThanTheAllowedShareIsBlocked()
{
    SyncSetup setup(SyncMode::Mirror);
    fill(setup, 10);
    runOnce(setup);
    setup.warehouse->exec("DELETE FROM people WHERE id <= 3");
    const state::PlanInfo plan = planOf(setup);
    QVERIFY(plan.blocked);
    QVERIFY2(plan.guardrail.contains(QStringLiteral("removes 3 of 10 delivered records")), qPrintable(plan.guardrail));
    // Within the limit: not blocked.
    setup.sync.guardrails.maxRemovedShare = 0.5;
    setup.saveSync();
    const state::PlanInfo allowed = planOf(setup);
    QVERIFY(!allowed.blocked);
    QCOMPARE(apply(setup, allowed.id)->counts.sent, 3);
    QCOMPARE(setup.destination->records.size(), size_t(7));
}

void TestSyncBehaviour::stalePlanIsRefused()
{
    SyncSetup setup;
    fill(setup, 5);
    const state::PlanInfo first = planOf(setup);
    const state::PlanInfo second = planOf(setup);
    auto run = apply(setup, second.id);
    QVERIFY(run);
    auto stale = apply(setup, first.id);
    QVERIFY(!stale);
    QCOMPARE(stale.error().code, QStringLiteral("plan.stale"));
    QVERIFY2(stale.error().message.contains(
                 QStringLiteral("plan %1 was made before run %2 of sync 'people-sync' applied changes; make a new plan")
                     .arg(first.id)
                     .arg(run->id)),
             qPrintable(stale.error().message));
    // A reset also makes earlier plans stale.
    const state::PlanInfo third = planOf(setup);
    QVERIFY(sync::SyncReset(setup.services()).fullResync(setup.sync.name));
    auto afterReset = apply(setup, third.id);
    QVERIFY(!afterReset);
    QVERIFY2(afterReset.error().message.contains(QStringLiteral("was reset")), qPrintable(afterReset.error().message));
}

void TestSyncBehaviour::appliedPlanIsRefused()
{
    SyncSetup setup;
    fill(setup, 5);
    const state::PlanInfo plan = planOf(setup);
    QVERIFY(apply(setup, plan.id));
    auto again = apply(setup, plan.id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, QStringLiteral("plan.applied"));
    QCOMPARE(setup.destination->log.size(), size_t(5));
}

void TestSyncBehaviour::applySendsThePreviewedPlanEvenIfTheWarehouseChanged()
{
    SyncSetup setup;
    fill(setup, 5);
    runOnce(setup);
    setup.warehouse->exec("UPDATE people SET score = 100 WHERE id = 1");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.changed, 1);
    setup.warehouse->exec("UPDATE people SET score = 200 WHERE id IN (1, 2)");
    auto run = apply(setup, plan.id);
    QVERIFY(run);
    QCOMPARE(run->counts.sent, 1);
    QCOMPARE(parsePayload(setup.destination->records["1"]).value(QStringLiteral("score")).toInteger(), 100);
    QCOMPARE(parsePayload(setup.destination->records["2"]).value(QStringLiteral("score")).toInteger(), 2);
    // The next plan picks up what changed since.
    const state::PlanInfo next = planOf(setup);
    QCOMPARE(next.counts.changed, 2);
}

void TestSyncBehaviour::unmappedColumnChurnSendsNothing()
{
    SyncSetup setup;
    fill(setup, 20);
    runOnce(setup);
    setup.warehouse->exec("UPDATE people SET junk = 'churn ' || id");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.changed, 0);
    QCOMPARE(plan.counts.unchanged, 20);
    QCOMPARE(plan.counts.toSend, 0);
}

// The diff's fast path trusts 32 bits of the payload hash while streaming, then checks all 128
// against the ledger. A ledger hash that agrees with the model's in its first 32 bits only is
// the 1-in-2^32 case: the plan must still see the change (by planning again without the index).
void TestSyncBehaviour::ledgerIndexMistakeFallsBackToTheExactPlan()
{
    SyncSetup setup;
    fill(setup, 30);
    runOnce(setup);
    {
        auto read = state::SqliteStatement::prepare(
            setup.workspace->handle(), QStringLiteral("SELECT payload_hash FROM ledger WHERE key = '7'"));
        QVERIFY(read && *read->step());
        QByteArray hash = read->blob(0);
        QCOMPARE(hash.size(), 16);
        for (int i = 4; i < 16; ++i)
            hash[i] = char(~hash[i]);
        auto write = state::SqliteStatement::prepare(
            setup.workspace->handle(), QStringLiteral("UPDATE ledger SET payload_hash = ?1 WHERE key = '7'"));
        QVERIFY(write);
        QVERIFY(write->bindBlob(1, hash.constData(), int(hash.size())).run());
    }
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.changed, 1);
    QCOMPARE(plan.counts.unchanged, 29);
    auto rows = state::PlanStore(*setup.workspace).rows(plan.id, 0, 10, true);
    QVERIFY(rows);
    QCOMPARE(int(rows->size()), 1);
    QCOMPARE(QString::fromStdString(rows->front().key), QStringLiteral("7"));
    QCOMPARE(parsePayload(rows->front().payload).value(QStringLiteral("score")).toInteger(), 7);
}

void TestSyncBehaviour::upsertModeIgnoresRemovedRows()
{
    SyncSetup setup(SyncMode::Upsert);
    fill(setup, 10);
    runOnce(setup);
    setup.warehouse->exec("DELETE FROM people WHERE id = 10; UPDATE people SET score = 0 WHERE id = 1; "
                          "INSERT INTO people VALUES (11, 'n11', 11, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.removed, 1);
    QVERIFY(!plan.blocked);
    auto run = apply(setup, plan.id);
    QCOMPARE(run->counts.sent, 2);
    QCOMPARE(countOps(*setup.destination, Operation::Upsert), 12);
    QCOMPARE(countOps(*setup.destination, Operation::Delete), 0);
    QVERIFY(setup.destination->records.count("10"));
}

void TestSyncBehaviour::updateModeUpdatesExistingRecordsOnly()
{
    SyncSetup setup(SyncMode::Upsert);
    fill(setup, 5);
    runOnce(setup);
    setup.sync.mode = SyncMode::UpdateOnly;
    setup.saveSync();
    setup.warehouse->exec("UPDATE people SET score = 0 WHERE id = 2; INSERT INTO people VALUES (6, 'n6', 6, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.added, 1);
    QCOMPARE(plan.counts.changed, 1);
    QCOMPARE(plan.counts.toSend, 1);
    auto run = apply(setup, plan.id);
    QCOMPARE(run->status, QStringLiteral("succeeded"));
    QCOMPARE(countOps(*setup.destination, Operation::Update), 1);
    QVERIFY(!setup.destination->records.count("6"));
}

void TestSyncBehaviour::insertModeSendsNewKeysOnly()
{
    SyncSetup setup(SyncMode::InsertOnly);
    fill(setup, 5);
    runOnce(setup);
    QCOMPARE(countOps(*setup.destination, Operation::Insert), 5);
    setup.warehouse->exec("UPDATE people SET score = 0 WHERE id = 2; INSERT INTO people VALUES (6, 'n6', 6, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.toSend, 1);
    QVERIFY(apply(setup, plan.id));
    QCOMPARE(countOps(*setup.destination, Operation::Insert), 6);
    QCOMPARE(parsePayload(setup.destination->records["2"]).value(QStringLiteral("score")).toInteger(), 2);
}

void TestSyncBehaviour::mirrorModeDeletesRemovedRows()
{
    SyncSetup setup(SyncMode::Mirror);
    fill(setup, 10);
    runOnce(setup);
    setup.warehouse->exec("DELETE FROM people WHERE id = 4");
    auto run = runOnce(setup);
    QCOMPARE(run.counts.sent, 1);
    QCOMPARE(countOps(*setup.destination, Operation::Delete), 1);
    QVERIFY(!setup.destination->records.count("4"));
    auto entry = state::LedgerStore(*setup.workspace).find(syncId(setup), "4");
    QVERIFY(entry && !*entry);
    QCOMPARE(planOf(setup).counts.removed, 0);
}

void TestSyncBehaviour::allModeSendsEveryRowEveryRun()
{
    SyncSetup setup(SyncMode::All);
    fill(setup, 8);
    runOnce(setup);
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.unchanged, 8);
    QCOMPARE(plan.counts.toSend, 8);
    QCOMPARE(apply(setup, plan.id)->counts.sent, 8);
    QCOMPARE(countOps(*setup.destination, Operation::Upsert), 16);
}

void TestSyncBehaviour::clearSendsNullFieldsAndKeepsTheRecord()
{
    SyncSetup setup(SyncMode::Upsert, RemovedRowAction::Clear);
    fill(setup, 10);
    runOnce(setup);
    setup.warehouse->exec("DELETE FROM people WHERE id = 7");
    QCOMPARE(runOnce(setup).counts.sent, 1);
    QCOMPARE(countOps(*setup.destination, Operation::Clear), 1);
    const QJsonObject cleared = parsePayload(setup.destination->records["7"]);
    QCOMPARE(cleared.value(QStringLiteral("id")).toInteger(), 7);
    QVERIFY(cleared.value(QStringLiteral("name")).isNull());
    QVERIFY(cleared.value(QStringLiteral("score")).isNull());
    // Cleared once only; when the key comes back it is sent again.
    QCOMPARE(planOf(setup).counts.removed, 0);
    setup.warehouse->exec("INSERT INTO people VALUES (7, 'back', 7, 'j')");
    QCOMPARE(planOf(setup).counts.added, 1);
}

void TestSyncBehaviour::clearSendsALargeMatchValueExactly()
{
    // 2^53 + 1 has no double: a clear must name the record with the value as delivered, never a
    // rounded one.
    SyncSetup setup(SyncMode::Upsert, RemovedRowAction::Clear);
    fill(setup, 10);
    setup.warehouse->exec("INSERT INTO people VALUES (9007199254740993, 'big', 1, 'j')");
    runOnce(setup);
    const std::string delivered = setup.destination->records["9007199254740993"];
    QVERIFY2(delivered.find("9007199254740993") != std::string::npos, delivered.c_str());
    setup.warehouse->exec("DELETE FROM people WHERE id = 9007199254740993");
    QCOMPARE(runOnce(setup).counts.sent, 1);
    QCOMPARE(countOps(*setup.destination, Operation::Clear), 1);
    const std::string cleared = setup.destination->records["9007199254740993"];
    QVERIFY2(cleared.find(":9007199254740993") != std::string::npos, cleared.c_str());
    QVERIFY2(cleared.find("\"name\":null") != std::string::npos, cleared.c_str());
}

void TestSyncBehaviour::unsupportedOperationIsRefusedBeforeSending()
{
    SyncSetup setup(SyncMode::Mirror);
    setup.destination->operations = {Operation::Upsert};
    setup.sync.guardrails.maxRemovedShare = 1.0;
    setup.saveSync();
    fill(setup, 3);
    runOnce(setup);
    setup.warehouse->exec("DELETE FROM people WHERE id = 1");
    const qsizetype sentBefore = qsizetype(setup.destination->log.size());
    auto run = apply(setup, planOf(setup).id);
    QVERIFY(!run);
    QCOMPARE(run.error().code, QStringLiteral("destination.unsupported"));
    QVERIFY2(run.error().message.contains(QStringLiteral("destination 'dest' (fake) cannot delete")), qPrintable(run.error().message));
    QCOMPARE(qsizetype(setup.destination->log.size()), sentBefore);
}

void TestSyncBehaviour::rejectedRowsStayDirtyForNextRun()
{
    SyncSetup setup;
    fill(setup, 10);
    setup.destination->rejectKeys = {"3", "8"};
    auto run = runOnce(setup);
    QCOMPARE(run.status, QStringLiteral("partial"));
    QCOMPARE(run.counts.accepted, 8);
    QCOMPARE(run.counts.rejected, 2);
    auto entry = state::LedgerStore(*setup.workspace).find(syncId(setup), "3");
    QVERIFY(entry && *entry);
    QVERIFY(!(*entry)->payloadHash);
    QCOMPARE((*entry)->status, QStringLiteral("rejected"));
    QCOMPARE((*entry)->lastError, QStringLiteral("rejected by the test"));
    QCOMPARE(planOf(setup).counts.added, 2);
    // A rejected change keeps the previous accepted payload.
    setup.destination->rejectKeys = {"5"};
    setup.warehouse->exec("UPDATE people SET score = 50 WHERE id = 5");
    run = runOnce(setup);
    QCOMPARE(run.counts.accepted, 2);
    QCOMPARE(run.counts.rejected, 1);
    auto five = state::LedgerStore(*setup.workspace).find(syncId(setup), "5");
    QCOMPARE(parsePayload((*five)->payload).value(QStringLiteral("score")).toInteger(), 5);
    QCOMPARE(planOf(setup).counts.changed, 1);
    setup.destination->rejectKeys.clear();
    QCOMPARE(runOnce(setup).status, QStringLiteral("succeeded"));
    QCOMPARE(parsePayload(setup.destination->records["5"]).value(QStringLiteral("score")).toInteger(), 50);
    QCOMPARE(planOf(setup).counts.toSend, 0);
}

// One batch holding an add, changes, a delete and a rejection: the run's per-row outcomes and the
// ledger say, key by key, what the destination answered (its record ids and its error).
void TestSyncBehaviour::aMixedBatchRecordsEveryRowsOutcome()
{
    SyncSetup setup(SyncMode::Mirror);
    fill(setup, 6);
    runOnce(setup);
    setup.warehouse->exec("UPDATE people SET score = 20 WHERE id = 2; UPDATE people SET score = 30 WHERE id = 3; "
                          "DELETE FROM people WHERE id = 4; INSERT INTO people VALUES (7, 'n7', 7, 'j')");
    setup.destination->rejectKeys = {"3"};
    const int batchesBefore = setup.destination->batches;
    const state::RunInfo run = runOnce(setup);
    QCOMPARE(setup.destination->batches, batchesBefore + 1);
    QCOMPARE(run.counts.sent, 4);
    QCOMPARE(run.counts.accepted, 3);
    QCOMPARE(run.counts.rejected, 1);

    state::RunStore runs(*setup.workspace);
    auto outcome = [&](const char *key) {
        auto found = runs.outcomesForKey(syncId(setup), key, 1);
        if (!found || found->empty() || found->front().runId != run.id)
            qFatal("no outcome of run %lld for key %s", run.id, key);
        return found->front();
    };
    const state::RowOutcome two = outcome("2"), three = outcome("3"), four = outcome("4"), seven = outcome("7");
    QVERIFY(two.accepted && seven.accepted && four.accepted);
    QCOMPARE(two.destinationId, QStringLiteral("id-2"));
    QCOMPARE(seven.destinationId, QStringLiteral("id-7"));
    QVERIFY(two.error.isEmpty());
    QCOMPARE(four.operation, QStringLiteral("delete"));
    QCOMPARE(two.operation, QStringLiteral("upsert"));
    QVERIFY(!three.accepted);
    QCOMPARE(three.error, QStringLiteral("rejected by the test"));

    state::LedgerStore ledger(*setup.workspace);
    auto seventh = ledger.find(syncId(setup), "7");
    QVERIFY(seventh && *seventh);
    QCOMPARE((*seventh)->status, QStringLiteral("delivered"));
    QCOMPARE((*seventh)->destinationId, QStringLiteral("id-7"));
    QCOMPARE(parsePayload((*seventh)->payload).value(QStringLiteral("score")).toInteger(), 7);
    auto second = ledger.find(syncId(setup), "2");
    QCOMPARE(parsePayload((*second)->payload).value(QStringLiteral("score")).toInteger(), 20);
    auto third = ledger.find(syncId(setup), "3");
    QCOMPARE((*third)->status, QStringLiteral("rejected"));
    QCOMPARE(parsePayload((*third)->payload).value(QStringLiteral("score")).toInteger(), 3);
    auto fourth = ledger.find(syncId(setup), "4");
    QVERIFY(fourth && !*fourth);
    // Only the rejected change is left to send.
    const state::PlanInfo next = planOf(setup);
    QCOMPARE(next.counts.toSend, 1);
    QCOMPARE(next.counts.changed, 1);
}

void TestSyncBehaviour::retryableBatchFailuresAreRetried()
{
    SyncSetup setup;
    fill(setup, 10);
    setup.destination->failNextBatches = 2;
    auto run = runOnce(setup);
    QCOMPARE(run.status, QStringLiteral("succeeded"));
    QCOMPARE(setup.destination->records.size(), size_t(10));
}

void TestSyncBehaviour::failedBatchLeavesRowsDirty()
{
    SyncSetup setup;
    fill(setup, 10);
    setup.destination->failFatally = true;
    auto run = runOnce(setup);
    QCOMPARE(run.status, QStringLiteral("failed"));
    QVERIFY(run.error.contains(QStringLiteral("the fake destination is down")));
    auto inFlight = state::LedgerStore(*setup.workspace).inFlight(syncId(setup));
    QVERIFY(inFlight && inFlight->empty());
    setup.destination->failFatally = false;
    QCOMPARE(planOf(setup).counts.added, 10);
    QCOMPARE(runOnce(setup).counts.accepted, 10);
}

void TestSyncBehaviour::cancellingMidRunLosesNothing()
{
    SyncSetup setup;
    fill(setup, 50);
    setup.destination->maxBatchSize = 5;
    CancellationToken token;
    setup.destination->onBatch = [token](int batch) {
        if (batch == 3)
            token.cancel();
    };
    sync::ApplyOptions options;
    options.cancellation = token;
    auto run = sync::SyncRunner(setup.services()).apply(planOf(setup).id, options);
    QVERIFY(run);
    QCOMPARE(run->status, QStringLiteral("cancelled"));
    QVERIFY(run->counts.sent < 50);
    auto delivered = state::LedgerStore(*setup.workspace).deliveredCount(syncId(setup));
    QCOMPARE(*delivered, qint64(setup.destination->records.size()));
    QCOMPARE(*delivered, run->counts.accepted);
    setup.destination->onBatch = nullptr;
    const state::PlanInfo rest = planOf(setup);
    QCOMPARE(rest.counts.added, 50 - run->counts.accepted);
    QVERIFY(apply(setup, rest.id));
    QCOMPARE(setup.destination->records.size(), size_t(50));
    for (const auto &[key, count] : setup.destination->deliveries)
        QCOMPARE(count, 1);
}

void TestSyncBehaviour::fullResyncSendsEverythingOnce()
{
    SyncSetup setup;
    fill(setup, 6);
    runOnce(setup);
    QVERIFY(sync::SyncReset(setup.services()).fullResync(setup.sync.name));
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.added, 6);
    QVERIFY(apply(setup, plan.id));
    QCOMPARE(planOf(setup).counts.toSend, 0);
    for (const auto &[key, count] : setup.destination->deliveries)
        QCOMPARE(count, 2);
    auto entry = state::LedgerStore(*setup.workspace).find(syncId(setup), "1");
    QCOMPARE((*entry)->destinationId, QStringLiteral("id-1"));
}

void TestSyncBehaviour::trackingOnlyResetSendsNothing()
{
    SyncSetup setup(SyncMode::Mirror);
    fill(setup, 6);
    auto adopted = sync::SyncReset(setup.services()).trackingOnly(setup.sync.name, false);
    QVERIFY(adopted);
    QCOMPARE(adopted->counts.added, 6);
    QVERIFY(setup.destination->log.empty());
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.unchanged, 6);
    QCOMPARE(plan.counts.toSend, 0);
}

void TestSyncBehaviour::duplicateAndNullKeysAreInvalidAndNeverSent()
{
    SyncSetup setup;
    fill(setup, 5);
    setup.warehouse->exec("INSERT INTO people VALUES (2, 'again', 9, 'j'); INSERT INTO people VALUES (NULL, 'x', 1, 'j')");
    const state::PlanInfo plan = planOf(setup);
    QCOMPARE(plan.counts.invalid, 3);
    QCOMPARE(plan.counts.added, 4);
    bool duplicateShown = false;
    for (const auto &example : plan.invalidExamples)
        duplicateShown |= example.key == QStringLiteral("2") && example.reason.contains(QStringLiteral("duplicate key"));
    QVERIFY(duplicateShown);
    QVERIFY(apply(setup, plan.id));
    QVERIFY(!setup.destination->records.count("2"));
    QCOMPARE(setup.destination->records.size(), size_t(4));
}

QTEST_GUILESS_MAIN(TestSyncBehaviour)
#include "tst_syncbehaviour.moc"
