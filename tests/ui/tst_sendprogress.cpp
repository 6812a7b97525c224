// Send from the preview: the progress bar counts rows with a rate and time left, Cancel stops the
// send after the batch in flight exactly as Ctrl-C does in the CLI (run "cancelled", nothing in
// flight, the ledger equal to what the destination file holds), and the next preview offers the
// rest, which a second send delivers.

#include "engine/state/ledgerstore.h"
#include "engine/state/runstore.h"
#include "ui/syncs/diffpreviewpanel.h"
#include "demosynctestsupport.h"
#include "uitestsupport.h"

#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

using namespace syncline;
using namespace syncline::ui;

class TestSendProgress : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void progressShowsRowsRateAndTimeLeft();
    void cancelMidRunKeepsTheLedgerConsistent();

private:
    bool previewAndWait(DiffPreviewPanel &panel);
    qint64 snapshotRecords() const;
    struct LedgerState
    {
        qint64 delivered = -1;
        qint64 inFlight = -1;
    };
    LedgerState ledger() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    testing::DemoSyncFixture m_demo;
    std::unique_ptr<WorkspaceService> m_workspace;
};

void TestSendProgress::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    if (!m_demo.create(*m_dir, &why))
        QSKIP(qPrintable(QStringLiteral("the demo warehouse cannot be created (SQLite3 ODBC driver missing?): ") + why));
    // Twenty copies of the demo customers (about 200,000 rows): a send of a few seconds.
    QVERIFY(m_demo.multiplyModel(20));
    m_workspace = std::make_unique<WorkspaceService>();
    QVERIFY(testing::DemoSyncFixture::open(*m_workspace, m_demo.workspacePath()));
}

void TestSendProgress::cleanup()
{
    m_workspace.reset();
    m_dir.reset();
}

bool TestSendProgress::previewAndWait(DiffPreviewPanel &panel)
{
    panel.preview();
    if (!QTest::qWaitFor([&] { return panel.state() != DiffPreviewPanel::State::Planning; }, 120000))
        return false;
    return panel.state() == DiffPreviewPanel::State::Planned;
}

qint64 TestSendProgress::snapshotRecords() const
{
    QFile file(QDir(m_demo.exportFolder()).filePath(QStringLiteral("customers.csv")));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    qint64 lines = 0;
    while (!file.atEnd())
        if (!file.readLine().trimmed().isEmpty())
            ++lines;
    return lines - 1; // the header
}

TestSendProgress::LedgerState TestSendProgress::ledger() const
{
    LedgerState state;
    auto workspace = engine::state::Workspace::open(m_demo.workspacePath());
    if (!workspace)
        return state;
    auto syncId = engine::state::DefinitionStore(**workspace).syncId(testing::DemoSyncFixture::syncName());
    if (!syncId)
        return state;
    engine::state::LedgerStore store(**workspace);
    state.delivered = store.deliveredCount(*syncId).value_or(-1);
    auto inFlight = store.inFlight(*syncId);
    state.inFlight = inFlight ? qint64(inFlight->size()) : -1;
    return state;
}

void TestSendProgress::progressShowsRowsRateAndTimeLeft()
{
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.resize(1000, 700);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    const qint64 toSend = panel.currentPlan()->plan.counts.toSend;
    QVERIFY(toSend > 100000);

    testing::StallWatchdog watchdog;
    QStringList texts;
    QList<int> values;
    connect(panel.sendController(), &SendController::progressed, &panel, [&] {
        texts << panel.progressLabel()->text();
        values << panel.progressBar()->value();
    });
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    QCOMPARE(panel.state(), DiffPreviewPanel::State::Sending);
    QVERIFY(panel.progressBar()->isVisible());
    QVERIFY(panel.cancelButton()->isVisible());
    QVERIFY(!panel.sendButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() == DiffPreviewPanel::State::Sent, 120000);
    QCOMPARE(panel.lastRun()->status, QStringLiteral("succeeded"));
    QCOMPARE(panel.lastRun()->counts.accepted, toSend);

    // While it ran, the bar moved forward and the text said how far, how fast and how long.
    QVERIFY2(values.size() >= 3, qPrintable(QStringLiteral("%1 progress updates").arg(values.size())));
    QVERIFY(std::is_sorted(values.begin(), values.end()));
    QCOMPARE(panel.progressBar()->maximum(), int(toSend));
    QCOMPARE(panel.progressBar()->value(), int(toSend));
    bool rated = false;
    for (const QString &text : texts)
        rated = rated || (text.contains(QStringLiteral("rows/s")) && text.contains(QStringLiteral(" left")));
    QVERIFY2(rated, qPrintable(texts.join(QLatin1Char('\n'))));
    const qint64 stall = watchdog.longestStallMs(); // before the test itself reads the file below
    qInfo("sent %lld rows; longest GUI stall %lld ms", toSend, stall);
    QVERIFY2(stall < 100, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(stall)));
    QCOMPARE(snapshotRecords(), toSend);
}

void TestSendProgress::cancelMidRunKeepsTheLedgerConsistent()
{
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    const qint64 toSend = panel.currentPlan()->plan.counts.toSend;

    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel.sendController()->progress().sent > 0, 60000);
    QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
    QVERIFY(panel.progressLabel()->text().contains(QStringLiteral("stopping after the batch in flight")));
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() == DiffPreviewPanel::State::Sent, 60000);
    const engine::state::RunInfo run = *panel.lastRun();
    QCOMPARE(run.status, QStringLiteral("cancelled"));
    QVERIFY2(run.counts.sent > 0 && run.counts.sent < toSend,
             qPrintable(QStringLiteral("sent %1 of %2").arg(run.counts.sent).arg(toSend)));
    QVERIFY(panel.statusText().contains(QStringLiteral("Cancelled")));

    // As after Ctrl-C: nothing in flight, the ledger holds exactly what was accepted, and the
    // destination file holds exactly the ledger's records.
    const LedgerState state = ledger();
    QCOMPARE(state.inFlight, 0);
    QCOMPARE(state.delivered, run.counts.accepted);
    QCOMPARE(snapshotRecords(), run.counts.accepted);

    // The rest stays for the next send, which completes it.
    QVERIFY(previewAndWait(panel));
    QCOMPARE(panel.currentPlan()->plan.counts.added, toSend - run.counts.accepted);
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() == DiffPreviewPanel::State::Sent, 120000);
    QCOMPARE(panel.lastRun()->status, QStringLiteral("succeeded"));
    QCOMPARE(ledger().delivered, toSend);
    QCOMPARE(snapshotRecords(), toSend);
}

QTEST_MAIN(TestSendProgress)
#include "tst_sendprogress.moc"
