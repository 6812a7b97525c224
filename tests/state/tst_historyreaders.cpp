// The app's paged readers of stored history: a plan's rows of one kind a page at a time in seq
// order, with a key search, and a run's per-row outcomes a page at a time without gaps or
// repeats, filtered by key and by "rejected only".
#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/planrowreader.h"
#include "engine/state/planstore.h"
#include "engine/state/runrowreader.h"
#include "engine/state/runstore.h"
#include "engine/state/workspace.h"

#include <QDateTime>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::state;

class TestHistoryReaders : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void planRowsOfOneKindComePageByPageInSeqOrder();
    void runRowsComePageByPageWithoutGapsOrRepeats();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    qint64 m_syncId = 0;
};

void TestHistoryReaders::init()
{
    QVERIFY(m_dir.isValid());
    auto workspace = Workspace::open(m_dir.filePath(QStringLiteral("w%1.syncline").arg(QDateTime::currentMSecsSinceEpoch())));
    QVERIFY(workspace);
    m_workspace = std::move(*workspace);
    DefinitionStore definitions(*m_workspace);
    QVERIFY(definitions.saveSource(SourceDef{QStringLiteral("src"), QStringLiteral("Driver={SQLite3};Database=x.db"), {}}));
    QVERIFY(definitions.saveModel(ModelDef{QStringLiteral("m"), QStringLiteral("src"), QStringLiteral("select 1 as id"),
                                           {QStringLiteral("id")}}));
    QVERIFY(definitions.saveDestination(DestinationDef{QStringLiteral("d"), QStringLiteral("file"), {}, {}}));
    SyncDef sync;
    sync.name = QStringLiteral("s");
    sync.model = QStringLiteral("m");
    sync.destination = QStringLiteral("d");
    sync.object = QStringLiteral("o");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    QVERIFY(definitions.saveSync(sync));
    m_syncId = *definitions.syncId(sync.name);
}

void TestHistoryReaders::planRowsOfOneKindComePageByPageInSeqOrder()
{
    PlanStore plans(*m_workspace);
    LedgerStore ledger(*m_workspace);
    auto planId = plans.create(m_syncId, 0, SyncMode::Upsert, RemovedRowAction::Delete);
    QVERIFY(planId);
    // 900 rows: seq n is an add, a change or a remove by n % 3; key "k<n>"; payload {"n": n}.
    QSet<QString> adds;
    QSet<QString> addsWith12;
    QVERIFY(m_workspace->transaction([&]() -> Result<void> {
        for (int n = 1; n <= 900; ++n) {
            PlanRow row;
            row.seq = n;
            row.op = n % 3 == 0 ? DiffOp::Add : n % 3 == 1 ? DiffOp::Change : DiffOp::Remove;
            row.key = "k" + std::to_string(n);
            row.keyHash = LedgerStore::hashKey(row.key);
            const std::string after = "{\"n\":" + std::to_string(n) + "}";
            const std::string before = "{\"n\":" + std::to_string(-n) + "}";
            if (row.op != DiffOp::Remove) {
                auto id = ledger.addPayload(m_syncId, after);
                if (!id)
                    return std::unexpected(id.error());
                row.payloadId = *id;
            }
            if (row.op != DiffOp::Add) {
                auto id = ledger.addPayload(m_syncId, before);
                if (!id)
                    return std::unexpected(id.error());
                row.beforePayloadId = *id;
            }
            if (auto ok = plans.addRow(*planId, row); !ok)
                return ok;
            if (row.op == DiffOp::Add) {
                adds.insert(QString::fromStdString(row.key));
                if (row.key.find("12") != std::string::npos)
                    addsWith12.insert(QString::fromStdString(row.key));
            }
        }
        return {};
    }));

    PlanRowReader reader(*m_workspace);
    QSet<QString> seen;
    qint64 afterSeq = 0;
    int pages = 0;
    for (;;) {
        auto page = reader.page(*planId, DiffOp::Add, afterSeq, 70);
        QVERIFY(page);
        for (const PlanRow &row : *page) {
            QCOMPARE(row.op, DiffOp::Add);
            QVERIFY(row.seq > afterSeq);
            afterSeq = row.seq;
            QCOMPARE(row.payload, "{\"n\":" + std::to_string(row.seq) + "}");
            QVERIFY(!seen.contains(QString::fromStdString(row.key)));
            seen.insert(QString::fromStdString(row.key));
        }
        ++pages;
        if (page->size() < 70)
            break;
    }
    QCOMPARE(seen, adds);
    QCOMPARE(pages, 300 / 70 + 1);

    // A changed row carries the destination's last payload as its before.
    auto changes = reader.page(*planId, DiffOp::Change, 0, 2);
    QVERIFY(changes && changes->size() == 2);
    QCOMPARE(changes->front().beforePayload, "{\"n\":-" + std::to_string(changes->front().seq) + "}");
    QCOMPARE(changes->front().payload, "{\"n\":" + std::to_string(changes->front().seq) + "}");

    // Search by key: only adds whose key contains "12", in seq order.
    auto found = reader.page(*planId, DiffOp::Add, 0, 1000, QStringLiteral("12"));
    QVERIFY(found);
    QSet<QString> foundKeys;
    for (const PlanRow &row : *found)
        foundKeys.insert(QString::fromStdString(row.key));
    QCOMPARE(foundKeys, addsWith12);
}

void TestHistoryReaders::runRowsComePageByPageWithoutGapsOrRepeats()
{
    RunStore runs(*m_workspace);
    auto runId = runs.create(m_syncId, std::nullopt, 1, 1, 2500);
    QVERIFY(runId);
    // 2,500 outcomes; every seventh rejected.
    qint64 rejected = 0;
    QVERIFY(m_workspace->transaction([&]() -> Result<void> {
        for (int n = 1; n <= 2500; ++n) {
            const std::string key = "c" + std::to_string(n);
            connector::RecordOutcome outcome;
            outcome.accepted = n % 7 != 0;
            if (!outcome.accepted) {
                outcome.error = QStringLiteral("invalid email");
                ++rejected;
            }
            if (auto ok = runs.addOutcome(*runId, n, key, LedgerStore::hashKey(key), connector::Operation::Upsert, outcome); !ok)
                return ok;
        }
        return {};
    }));

    RunRowReader reader(*m_workspace);
    QSet<QString> seen;
    std::optional<RunRow> after;
    for (;;) {
        auto page = reader.page(*runId, {}, after, 333);
        QVERIFY(page);
        for (const RunRow &row : *page) {
            QVERIFY(!seen.contains(QString::fromStdString(row.key)));
            seen.insert(QString::fromStdString(row.key));
            QCOMPARE(row.accepted, row.seq % 7 != 0);
            QCOMPARE(row.operation, QStringLiteral("upsert"));
        }
        if (page->size() < 333)
            break;
        after = page->back();
    }
    QCOMPARE(seen.size(), 2500);
    QCOMPARE(*reader.count(*runId, {}), 2500);

    RunRowFilter onlyRejected;
    onlyRejected.rejectedOnly = true;
    QCOMPARE(*reader.count(*runId, onlyRejected), rejected);
    qint64 visited = 0;
    QVERIFY(reader.forEach(*runId, onlyRejected, [&](const RunRow &row) -> Result<void> {
        ++visited;
        if (row.accepted || row.error != QStringLiteral("invalid email"))
            return fail(QStringLiteral("test.row"), QStringLiteral("an accepted row among the rejected"));
        return {};
    }));
    QCOMPARE(visited, rejected);

    RunRowFilter byKey;
    byKey.keyContains = QStringLiteral("C249"); // any case: c249, c2490..c2499
    auto found = reader.page(*runId, byKey, std::nullopt, 100);
    QVERIFY(found);
    QCOMPARE(found->size(), size_t(11));
}

QTEST_MAIN(TestHistoryReaders)
#include "tst_historyreaders.moc"
