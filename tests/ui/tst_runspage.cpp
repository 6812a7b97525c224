// The Runs page on real runs of the demo sync to the CSV file destination: each run's counts in
// the history and in the chart, a run's rows searchable by key and exported to CSV, the HTTP
// inspector for a destination without requests, and "what did we last send for this key?"
// answered from the ledger.

#include "engine/state/runstore.h"
#include "engine/sync/syncreset.h"
#include "engine/sync/syncrunner.h"
#include "ui/runs/exchangeinspector.h"
#include "ui/runs/lastsentpanel.h"
#include "ui/runs/runchart.h"
#include "ui/runs/rundetailpanel.h"
#include "ui/runs/runhistorymodel.h"
#include "ui/runs/runrowsmodel.h"
#include "ui/runs/runspage.h"
#include "ui/syncs/syncengine.h"
#include "demosynctestsupport.h"
#include "tests/fakes/fakeapi.h"

#include <QPlainTextEdit>

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QtCharts/QLineSeries>

using namespace syncline;
using namespace syncline::ui;

class TestRunsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void historyShowsEachRunWithItsCounts();
    void chartSeriesAreTheRunsCounts();
    void runRowsAreSearchableByKey();
    void csvExportHoldsTheRowsShown();
    void inspectorSaysWhenARunMadeNoRequests();
    void inspectorShowsAnHttpRunsRequestsAndResponses();
    void lastSentForAKeyComesFromTheLedger();

private:
    engine::Result<engine::state::RunInfo> run();
    bool showAndWait(RunsPage &page);

    QTemporaryDir m_dir;
    testing::DemoSyncFixture m_demo;
    std::unique_ptr<WorkspaceService> m_workspace;
    std::vector<engine::state::RunInfo> m_runs; // oldest first
    qint64 m_valid = 0;
};

engine::Result<engine::state::RunInfo> TestRunsPage::run()
{
    auto engine = SyncEngine::open(m_demo.workspacePath(), nullptr);
    if (!engine)
        return std::unexpected(engine.error());
    engine::sync::ApplyOptions options;
    options.trigger = engine::state::RunTrigger::Cli;
    auto result = engine::sync::SyncRunner((*engine)->services()).run(testing::DemoSyncFixture::syncName(), {}, options);
    if (!result)
        return std::unexpected(result.error());
    if (!result->run)
        return engine::fail(QStringLiteral("test.blocked"), result->plan.guardrail);
    return *result->run;
}

void TestRunsPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString why;
    if (!m_demo.create(m_dir, &why))
        QSKIP(qPrintable(QStringLiteral("the demo warehouse cannot be created (SQLite3 ODBC driver missing?): ") + why));
    m_valid = m_demo
                  .scalar(QStringLiteral("select count(*) from customers where id in (select id from customers where id is "
                                         "not null group by id having count(*) = 1)"))
                  .toLongLong();
    // Run 1 sends every customer. Then the sync becomes insert-only, its tracking is reset and
    // every customer gets one more seat and five customers are added: run 2 inserts those five
    // and has every other insert rejected, because the file holds a different record by then.
    auto first = run();
    QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
    m_runs.push_back(*first);
    QVERIFY(m_demo.editSync([](engine::SyncDef &sync) { sync.mode = engine::SyncMode::InsertOnly; }));
    {
        auto engine = SyncEngine::open(m_demo.workspacePath(), nullptr);
        QVERIFY(engine);
        QVERIFY(engine::sync::SyncReset((*engine)->services()).fullResync(testing::DemoSyncFixture::syncName()));
    }
    QVERIFY(m_demo.execute(QStringLiteral("update customers set seats = seats + 1")));
    QVERIFY(m_demo.execute(QStringLiteral(
        "insert into customers (id, account_id, email, first_name, last_name, plan, country, signup_date, last_seen_at, "
        "is_active, seats, lifetime_value) select 900000 + n, 1, 'new' || n || '@example.com', 'New', 'Customer', 'pro', "
        "'NL', '2026-11-30', '2026-11-30 10:00:00', 1, 3, 99.5 from (select 1 as n union all select 2 union all select 3 "
        "union all select 4 union all select 5)")));
    auto second = run();
    QVERIFY2(second, qPrintable(second ? QString() : second.error().toString()));
    m_runs.push_back(*second);
    QCOMPARE(second->status, QStringLiteral("partial"));
    QCOMPARE(second->counts.accepted, 5);
    QCOMPARE(second->counts.rejected, m_valid);

    // The history shows the runs as stored (their times as the run store wrote them).
    {
        auto workspace = engine::state::Workspace::open(m_demo.workspacePath());
        QVERIFY(workspace);
        for (auto &stored : m_runs) {
            auto read = engine::state::RunStore(**workspace).run(stored.id);
            QVERIFY(read);
            QCOMPARE(read->counts.sent, stored.counts.sent);
            stored = *read;
        }
    }
    m_workspace = std::make_unique<WorkspaceService>();
    QVERIFY(testing::DemoSyncFixture::open(*m_workspace, m_demo.workspacePath()));
}

void TestRunsPage::cleanupTestCase()
{
    m_workspace.reset();
}

// Shows the page on the demo sync's history.
bool TestRunsPage::showAndWait(RunsPage &page)
{
    QSignalSpy loaded(&page, &RunsPage::historyLoaded);
    page.resize(1100, 800);
    page.show();
    if (!loaded.wait(10000))
        return false;
    page.showSync(testing::DemoSyncFixture::syncName());
    return loaded.wait(10000) && loaded.back().at(0).toString() == testing::DemoSyncFixture::syncName()
        && page.history()->rowCount() > 0;
}

void TestRunsPage::historyShowsEachRunWithItsCounts()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    QCOMPARE(page.syncList()->count(), 1);
    QCOMPARE(page.syncList()->currentItem()->text(), testing::DemoSyncFixture::syncName());
    RunHistoryModel *history = page.history();
    QCOMPARE(history->rowCount(), int(m_runs.size()));
    const QLocale locale;
    for (int row = 0; row < history->rowCount(); ++row) {
        const engine::state::RunInfo &run = m_runs[m_runs.size() - 1 - size_t(row)]; // newest first
        const auto cell = [&](int column) { return history->index(row, column).data().toString(); };
        QCOMPARE(cell(RunHistoryModel::StatusColumn), run.status);
        QCOMPARE(cell(RunHistoryModel::TriggerColumn), QStringLiteral("cli"));
        QCOMPARE(cell(RunHistoryModel::SentColumn), locale.toString(run.counts.sent));
        QCOMPARE(cell(RunHistoryModel::AcceptedColumn), locale.toString(run.counts.accepted));
        QCOMPARE(cell(RunHistoryModel::RejectedColumn), locale.toString(run.counts.rejected));
        QCOMPARE(cell(RunHistoryModel::DurationColumn), RunHistoryModel::durationText(run));
        QVERIFY(!cell(RunHistoryModel::DurationColumn).isEmpty());
    }
    // The newest run is selected and shown in detail.
    QCOMPARE(page.currentRun(), std::optional<qint64>(m_runs.back().id));
    QVERIFY(page.detail()->summary()->text().contains(QStringLiteral("Run %1").arg(m_runs.back().id)));
}

void TestRunsPage::chartSeriesAreTheRunsCounts()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    const QList<QPointF> sent = page.chart()->sentSeries()->points();
    const QList<QPointF> rejected = page.chart()->rejectedSeries()->points();
    QCOMPARE(sent.size(), qsizetype(m_runs.size()));
    QCOMPARE(rejected.size(), qsizetype(m_runs.size()));
    for (size_t i = 0; i < m_runs.size(); ++i) { // oldest on the left
        QCOMPARE(qint64(sent[qsizetype(i)].x()), m_runs[i].startedAtMs);
        QCOMPARE(qint64(sent[qsizetype(i)].y()), m_runs[i].counts.sent);
        QCOMPARE(qint64(rejected[qsizetype(i)].y()), m_runs[i].counts.rejected);
    }
    QCOMPARE(qint64(sent.back().y()), m_valid + 5);
    QCOMPARE(qint64(rejected.back().y()), m_valid);
}

void TestRunsPage::runRowsAreSearchableByKey()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    RunDetailPanel *detail = page.detail();
    RunRowsModel *rows = detail->rows();
    QTRY_COMPARE(rows->rowCount(), RunRowsModel::kPageRows); // lazy: the first page only
    QTest::keyClicks(detail->searchEdit(), QStringLiteral("900003"));
    QTRY_VERIFY(rows->filter().keyContains == QStringLiteral("900003") && !rows->isLoading());
    QCOMPARE(rows->rowCount(), 1);
    QCOMPARE(rows->index(0, RunRowsModel::OutcomeColumn).data().toString(), QStringLiteral("accepted"));
    QCOMPARE(rows->index(0, RunRowsModel::OperationColumn).data().toString(), QStringLiteral("insert"));

    detail->searchEdit()->clear();
    detail->rejectedOnly()->setChecked(true);
    QTRY_VERIFY(rows->filter().keyContains.isEmpty() && rows->filter().rejectedOnly && rows->rowCount() > 0);
    for (int row = 0; row < rows->rowCount(); ++row) {
        QCOMPARE(rows->index(row, RunRowsModel::OutcomeColumn).data().toString(), QStringLiteral("rejected"));
        QCOMPARE(rows->index(row, RunRowsModel::ErrorColumn).data().toString(), QStringLiteral("record already exists"));
    }
}

void TestRunsPage::csvExportHoldsTheRowsShown()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    RunDetailPanel *detail = page.detail();
    QSignalSpy exported(detail, &RunDetailPanel::exported);
    const QString all = m_dir.filePath(QStringLiteral("all.csv"));
    detail->exportCsv(all);
    QVERIFY(exported.wait(30000));
    QCOMPARE(exported.back().at(1).toLongLong(), m_valid + 5);

    detail->searchEdit()->setText(QStringLiteral("90000"));
    const QString found = m_dir.filePath(QStringLiteral("found.csv"));
    detail->exportCsv(found);
    QVERIFY(exported.wait(30000));
    QFile file(found);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.takeFirst(), QStringLiteral("key,operation,outcome,error,record_id"));
    lines.sort();
    QStringList expected;
    for (int n = 1; n <= 5; ++n)
        expected << QStringLiteral("%1,insert,accepted,,").arg(900000 + n); // files have no record ids
    QCOMPARE(lines, expected);

    QFile everything(all);
    QVERIFY(everything.open(QIODevice::ReadOnly));
    const QStringList allLines = QString::fromUtf8(everything.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(qint64(allLines.size()), m_valid + 5 + 1);
    QCOMPARE(qint64(allLines.filter(QStringLiteral(",insert,rejected,record already exists,")).size()), m_valid);
}

void TestRunsPage::inspectorSaysWhenARunMadeNoRequests()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    ExchangeInspector *inspector = page.detail()->inspector();
    QTRY_VERIFY(!inspector->isLoading());
    QCOMPARE(inspector->totals().recorded, 0);
    QCOMPARE(inspector->list()->topLevelItemCount(), 0);
    QVERIFY(inspector->findChild<QLabel *>()->text().contains(QStringLiteral("no HTTP requests")));
}

void TestRunsPage::inspectorShowsAnHttpRunsRequestsAndResponses()
{
    // The demo customers to the generic HTTP destination, against the loopback fake API.
    testfakes::FakeApiConfig config;
    config.matchField = QStringLiteral("customer_id");
    testfakes::FakeApi api(config);
    QString error;
    QVERIFY2(api.start(0, &error), qPrintable(error));
    const QString syncName = QStringLiteral("customers-to-api");
    {
        auto workspace = engine::state::Workspace::open(m_demo.workspacePath());
        QVERIFY(workspace);
        engine::state::DefinitionStore store(**workspace);
        engine::DestinationDef destination;
        destination.name = QStringLiteral("crm-api");
        destination.type = QStringLiteral("http");
        destination.settings = {{QStringLiteral("base_url"), api.url().toString()}, {QStringLiteral("batch_size"), 2000}};
        QVERIFY(store.saveDestination(destination));
        auto demoSync = store.sync(testing::DemoSyncFixture::syncName());
        QVERIFY(demoSync && *demoSync);
        engine::SyncDef sync = **demoSync;
        sync.name = syncName;
        sync.destination = destination.name;
        sync.object = QStringLiteral("records");
        sync.mode = engine::SyncMode::Upsert;
        auto saved = store.saveSync(sync);
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    }
    engine::state::RunInfo httpRun;
    {
        auto engine = SyncEngine::open(m_demo.workspacePath(), nullptr);
        QVERIFY(engine);
        auto result = engine::sync::SyncRunner((*engine)->services()).run(syncName);
        QVERIFY2(result && result->run, qPrintable(result ? result->plan.guardrail : result.error().toString()));
        httpRun = *result->run;
    }
    QCOMPARE(httpRun.status, QStringLiteral("succeeded"));
    const qint64 requests = qint64(api.requests().size());
    QVERIFY(requests >= 5);

    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    QSignalSpy inspected(page.detail()->inspector(), &ExchangeInspector::loaded);
    page.showSync(syncName);
    QTRY_VERIFY(!inspected.isEmpty() && inspected.back().at(0).toLongLong() == httpRun.id);
    ExchangeInspector *inspector = page.detail()->inspector();
    QCOMPARE(inspector->totals().recorded, requests);
    QCOMPARE(qint64(inspector->list()->topLevelItemCount()), inspector->totals().kept);
    QVERIFY(inspector->totals().kept > 0);
    const QTreeWidgetItem *first = inspector->list()->topLevelItem(0);
    QCOMPARE(first->text(1), QString::fromLatin1(api.requests().front().method));
    QCOMPARE(first->text(3), QString::number(api.requests().front().status));
    // The selected exchange shows the request body as the API received it, and the answer.
    const QString detail = inspector->detail()->toPlainText();
    const QString sentBody = QString::fromUtf8(api.requests().front().body.left(300));
    QVERIFY(sentBody.contains(QStringLiteral("\"email\":\"")));
    QVERIFY2(detail.contains(sentBody), qPrintable(detail.left(600)));
    QVERIFY2(detail.contains(QStringLiteral("HTTP %1").arg(api.requests().front().status)), qPrintable(detail.right(400)));
}

void TestRunsPage::lastSentForAKeyComesFromTheLedger()
{
    RunsPage page(m_workspace.get());
    QVERIFY(showAndWait(page));
    LastSentPanel *panel = page.lastSent();
    QSignalSpy answered(panel, &LastSentPanel::answered);

    // A customer run 2 inserted: the ledger holds the payload the file accepted.
    panel->keyEdit()->setText(QStringLiteral("900002"));
    QTest::keyClick(panel->keyEdit(), Qt::Key_Return);
    QVERIFY(answered.wait(10000));
    const LastSent &answer = panel->answer();
    QVERIFY(answer.known && answer.delivered);
    QCOMPARE(answer.status, QStringLiteral("delivered"));
    const QString email = m_demo.scalar(QStringLiteral("select email from customers where id = 900002"));
    QCOMPARE(email, QStringLiteral("new2@example.com"));
    QVERIFY2(answer.payload.contains(QStringLiteral("\"email\": \"%1\"").arg(email)), qPrintable(answer.payload));
    QCOMPARE(answer.lastRunId, m_runs.back().id);
    QVERIFY(answer.lastRunAccepted);
    QVERIFY(panel->answerText().contains(QStringLiteral("last accepted")));

    // A customer whose insert run 2 had rejected: nothing delivered since the reset, and why.
    const QString id = m_demo.scalar(QStringLiteral("select min(id) from customers where id > 1000"));
    panel->ask(id);
    QVERIFY(answered.wait(10000));
    QVERIFY(panel->answer().known && !panel->answer().delivered);
    QCOMPARE(panel->answer().lastError, QStringLiteral("record already exists"));
    QCOMPARE(panel->answer().lastRunId, m_runs.back().id);
    QVERIFY(!panel->answer().lastRunAccepted);
    QVERIFY(panel->answerText().contains(QStringLiteral("record already exists")));

    panel->ask(QStringLiteral("no-such-key"));
    QVERIFY(answered.wait(10000));
    QVERIFY(!panel->answer().known);
    QVERIFY(panel->answerText().contains(QStringLiteral("never sent")));
}

QTEST_MAIN(TestRunsPage)
#include "tst_runspage.moc"
