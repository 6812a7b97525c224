// Never freeze while planning and sending a large sync from a real PostgreSQL model to the CSV
// file destination: a watchdog on the GUI thread measures the longest stall of the event loop.
// Rows: $SYNCLINE_TEST_SEND_ROWS, default 200,000 so CI stays within minutes; the documented
// manual figure is 1,000,000 (SYNCLINE_TEST_SEND_ROWS=1000000; see the report for its timings).

#include "engine/state/definitionstore.h"
#include "engine/sync/syncplanner.h"
#include "ui/runs/runspage.h"
#include "ui/syncs/diffpreviewpanel.h"
#include "ui/syncs/diffrowsmodel.h"
#include "demosynctestsupport.h"
#include "uitestsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

using namespace syncline;
using namespace syncline::ui;
using engine::state::DiffOp;

class TestPreviewSendServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void largePlanAndSendNeverStallTheGui();

private:
    QTemporaryDir m_dir;
    QString m_workspacePath;
    QString m_exportFolder;
    qint64 m_rows = 200000;
};

void TestPreviewSendServer::initTestCase()
{
    const QString pg = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
    if (pg.isEmpty())
        QSKIP("SYNCLINE_TEST_PG_ODBC is not set (start the server with scripts/test-services.sh)");
    if (qEnvironmentVariableIsSet("SYNCLINE_TEST_SEND_ROWS"))
        m_rows = qEnvironmentVariable("SYNCLINE_TEST_SEND_ROWS").toLongLong();
    QVERIFY(m_rows > 0);
    QVERIFY(m_dir.isValid());
    m_workspacePath = m_dir.filePath(QStringLiteral("server.syncline"));
    m_exportFolder = m_dir.filePath(QStringLiteral("exports"));
    QVERIFY(QDir().mkpath(m_exportFolder));

    // Workspaces never hold a password: the source names an environment variable instead.
    QStringList parts;
    for (const QString &part : pg.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed();
        if (key.compare(QLatin1String("pwd"), Qt::CaseInsensitive) == 0
            || key.compare(QLatin1String("password"), Qt::CaseInsensitive) == 0)
            qputenv("SYNCLINE_TEST_SEND_PG_PASSWORD", part.section(QLatin1Char('='), 1).toUtf8());
        else
            parts << part;
    }
    auto workspace = engine::state::Workspace::open(m_workspacePath);
    QVERIFY(workspace);
    engine::state::DefinitionStore store(**workspace);
    engine::SourceDef source{QStringLiteral("pg"), parts.join(QLatin1Char(';')),
                             engine::SecretRef{engine::SecretRef::Kind::Env, QStringLiteral("SYNCLINE_TEST_SEND_PG_PASSWORD")}};
    engine::ModelDef model;
    model.name = QStringLiteral("big");
    model.source = source.name;
    model.sql = QStringLiteral("select g as id, 'customer' || g || '@example.com' as email, 'Customer ' || g as name, "
                               "g % 97 as bucket from generate_series(1, %1) g")
                    .arg(m_rows);
    model.primaryKey = {QStringLiteral("id")};
    engine::DestinationDef destination;
    destination.name = QStringLiteral("files");
    destination.type = QStringLiteral("file");
    destination.settings = {{QStringLiteral("folder"), m_exportFolder}, {QStringLiteral("format"), QStringLiteral("csv")}};
    engine::SyncDef sync;
    sync.name = QStringLiteral("big-to-csv");
    sync.model = model.name;
    sync.destination = destination.name;
    sync.object = QStringLiteral("customers");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("customer_id");
    sync.mapping = {engine::MappingEntry::fromColumn(QStringLiteral("email"), QStringLiteral("email")),
                    engine::MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
                    engine::MappingEntry::fromColumn(QStringLiteral("bucket"), QStringLiteral("bucket"), QStringLiteral("integer"))};
    QVERIFY(store.saveSource(source));
    QVERIFY(store.saveModel(model));
    QVERIFY(store.saveDestination(destination));
    auto saved = store.saveSync(sync);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
}

void TestPreviewSendServer::cleanupTestCase()
{
}

void TestPreviewSendServer::largePlanAndSendNeverStallTheGui()
{
    WorkspaceService workspace;
    QVERIFY(testing::DemoSyncFixture::open(workspace, m_workspacePath));
    DiffPreviewPanel panel(&workspace, nullptr);
    RunsPage runs(&workspace);
    panel.resize(1000, 700);
    panel.show();
    runs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    testing::StallWatchdog watchdog;

    // Plan: the model streams from the server while the GUI keeps ticking and the Runs page
    // (history queries on the workspace thread) still answers.
    QElapsedTimer clock;
    clock.start();
    panel.setSync(QStringLiteral("big-to-csv"));
    panel.preview();
    QTRY_VERIFY_WITH_TIMEOUT(panel.progressLabel()->text().contains(QStringLiteral("rows so far")), 120000);
    QSignalSpy historyLoaded(&runs, &RunsPage::historyLoaded);
    runs.reload();
    QVERIFY(historyLoaded.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() != DiffPreviewPanel::State::Planning, 1800000);
    QCOMPARE(panel.state(), DiffPreviewPanel::State::Planned);
    const qint64 planMs = clock.elapsed();
    QCOMPARE(panel.currentPlan()->plan.counts.added, m_rows);
    DiffRowsModel *added = panel.modelFor(DiffOp::Add);
    QTRY_COMPARE(added->rowCount(), DiffRowsModel::kPageRows);
    panel.tableFor(DiffOp::Add)->scrollToBottom();
    QTRY_COMPARE(added->rowCount(), 2 * DiffRowsModel::kPageRows);
    QTest::keyClicks(panel.searchEdit(), QString::number(m_rows));
    QTRY_VERIFY_WITH_TIMEOUT(added->keyFilter() == QString::number(m_rows) && !added->isLoading() && added->rowCount() >= 1, 60000);

    // Send: all of it, with the progress bar moving.
    clock.restart();
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    QCOMPARE(panel.state(), DiffPreviewPanel::State::Sending);
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() == DiffPreviewPanel::State::Sent, 1800000);
    const qint64 sendMs = clock.elapsed();
    QCOMPARE(panel.lastRun()->status, QStringLiteral("succeeded"));
    QCOMPARE(panel.lastRun()->counts.accepted, m_rows);
    const qint64 stall = watchdog.longestStallMs();
    qInfo("%lld rows: plan %lld ms, send %lld ms; longest GUI stall %lld ms", m_rows, planMs, sendMs, stall);
    QVERIFY2(stall < 100, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stall)));

    // The destination holds every row (read after the watchdog's window: this read is the test's).
    QFile file(QDir(m_exportFolder).filePath(QStringLiteral("customers.csv")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    qint64 lines = 0;
    while (!file.atEnd())
        if (!file.readLine().trimmed().isEmpty())
            ++lines;
    QCOMPARE(lines, m_rows + 1);
}

QTEST_MAIN(TestPreviewSendServer)
#include "tst_previewsendserver.moc"
