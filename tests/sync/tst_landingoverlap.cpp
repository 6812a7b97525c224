// The runner records a batch's outcomes while the destination receives the next one, and this
// never loosens what a kill may resend: watched from a second connection to the workspace during
// every deliver(), an upsert run has at most two batches in flight and everything before them
// landed; an insert run has exactly the batch being sent in flight and everything before it landed.
// Either way every row arrives once and the ledger ends with every key delivered.
#include "syncfixture.h"

#include "engine/state/ledgersql.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"

using namespace synctest;
using namespace syncline::engine;

namespace {

constexpr int kRows = 500;
constexpr int kBatch = 50;

void fill(SyncSetup &setup)
{
    setup.warehouse->exec("DELETE FROM people");
    std::string values;
    for (int id = 1; id <= kRows; ++id)
        values += (values.empty() ? "" : ",") + ("(" + std::to_string(id) + ", 'n" + std::to_string(id) + "', "
                                                  + std::to_string(id) + ", 'j')");
    setup.warehouse->exec("INSERT INTO people VALUES " + values);
}

// What another process reading the workspace file sees (committed transactions only).
struct Seen
{
    qint64 inFlightBatches = -1;
    qint64 delivered = -1;
};

Seen look(const QString &path)
{
    Seen seen;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return seen;
    }
    sqlite3_busy_timeout(db, 5000);
    auto count = [db](const char *sql) -> qint64 {
        sqlite3_stmt *stmt = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return value;
    };
    seen.inFlightBatches = count("SELECT count(*) FROM in_flight_batches");
    seen.delivered = count("SELECT count(*) FROM ledger WHERE status = " SYNCLINE_LEDGER_DELIVERED);
    sqlite3_close(db);
    return seen;
}

} // namespace

class TestLandingOverlap : public QObject
{
    Q_OBJECT
private slots:
    void upsertRunHasAtMostTwoBatchesInFlight();
    void insertRunLandsEachBatchBeforeSendingTheNext();

private:
    // Runs the sync once, looking at the workspace from outside during every deliver().
    std::vector<Seen> runWatched(SyncSetup &setup, state::RunInfo &run);
};

std::vector<Seen> TestLandingOverlap::runWatched(SyncSetup &setup, state::RunInfo &run)
{
    fill(setup);
    setup.destination->maxBatchSize = kBatch;
    std::vector<Seen> seen;
    const QString path = setup.workspace->path();
    setup.destination->onBatch = [&seen, path](int) { seen.push_back(look(path)); };
    sync::ApplyOptions options;
    options.retryDelay = std::chrono::milliseconds(1);
    auto result = sync::SyncRunner(setup.services()).run(setup.sync.name, {}, options);
    if (!result || !result->run)
        qFatal("the run failed: %s", result ? "blocked" : qPrintable(result.error().toString()));
    run = *result->run;
    return seen;
}

void TestLandingOverlap::upsertRunHasAtMostTwoBatchesInFlight()
{
    SyncSetup setup(SyncMode::Upsert);
    state::RunInfo run;
    const std::vector<Seen> seen = runWatched(setup, run);
    QCOMPARE(run.status, QStringLiteral("succeeded"));
    QCOMPARE(run.counts.sent, qint64(kRows));
    QCOMPARE(run.counts.accepted, qint64(kRows));
    QCOMPARE(int(seen.size()), kRows / kBatch);
    for (int batch = 0; batch < int(seen.size()); ++batch) {
        const Seen &now = seen[size_t(batch)];
        // The batch being sent, and perhaps the one before it, still being recorded.
        QVERIFY2(now.inFlightBatches >= 1 && now.inFlightBatches <= 2,
                 qPrintable(QStringLiteral("batch %1: %2 batches in flight").arg(batch).arg(now.inFlightBatches)));
        const qint64 landedAtLeast = qint64(std::max(0, batch - 1)) * kBatch;
        QVERIFY2(now.delivered >= landedAtLeast && now.delivered <= qint64(batch) * kBatch,
                 qPrintable(QStringLiteral("batch %1: %2 keys delivered in the ledger").arg(batch).arg(now.delivered)));
        QCOMPARE(now.delivered + now.inFlightBatches * kBatch >= qint64(batch + 1) * kBatch, true);
    }
    const auto overlapped = std::count_if(seen.begin(), seen.end(), [](const Seen &s) { return s.inFlightBatches == 2; });
    qInfo("%d of %d deliveries ran while the batch before was still being recorded", int(overlapped), int(seen.size()));
    const Seen after = look(setup.workspace->path());
    QCOMPARE(after.inFlightBatches, qint64(0));
    QCOMPARE(after.delivered, qint64(kRows));
    QCOMPARE(int(setup.destination->deliveries.size()), kRows);
    for (const auto &[key, times] : setup.destination->deliveries)
        QVERIFY2(times == 1, key.c_str());
}

void TestLandingOverlap::insertRunLandsEachBatchBeforeSendingTheNext()
{
    SyncSetup setup(SyncMode::InsertOnly);
    state::RunInfo run;
    const std::vector<Seen> seen = runWatched(setup, run);
    QCOMPARE(run.status, QStringLiteral("succeeded"));
    QCOMPARE(run.counts.sent, qint64(kRows));
    QCOMPARE(int(seen.size()), kRows / kBatch);
    for (int batch = 0; batch < int(seen.size()); ++batch) {
        QCOMPARE(seen[size_t(batch)].inFlightBatches, qint64(1));
        QCOMPARE(seen[size_t(batch)].delivered, qint64(batch) * kBatch);
    }
    const Seen after = look(setup.workspace->path());
    QCOMPARE(after.inFlightBatches, qint64(0));
    QCOMPARE(after.delivered, qint64(kRows));
    for (const auto &[key, times] : setup.destination->deliveries)
        QVERIFY2(times == 1, key.c_str());
}

QTEST_GUILESS_MAIN(TestLandingOverlap)
#include "tst_landingoverlap.moc"
