// The diff preview on the demo warehouse and the CSV file destination: the counts and tables come
// from a real frozen plan, a row edited in the warehouse shows up as exactly that change with
// its changed fields highlighted, search by key narrows every table, and a guardrail stop is a
// question with the numbers whose "yes" sends with the CLI's override.

#include "engine/state/ledgerstore.h"
#include "engine/state/runstore.h"
#include "engine/sync/syncplanner.h"
#include "ui/syncs/diffpreviewpanel.h"
#include "ui/syncs/diffrowsmodel.h"
#include "demosynctestsupport.h"

#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>

using namespace syncline;
using namespace syncline::ui;
using engine::state::DiffOp;
using engine::sync::formatCount;

class TestDiffPreview : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void countsAndTablesComeFromTheFrozenPlan();
    void searchByKeyNarrowsEveryTable();
    void editedRowShowsExactlyItsChangedFields();
    void guardrailStopIsAQuestionWithTheNumbers();
    void anOutdatedPreviewIsNeverSent();

private:
    bool previewAndWait(DiffPreviewPanel &panel);
    bool sendAndWait(DiffPreviewPanel &panel);
    qint64 validCustomers(const QString &where = QStringLiteral("1 = 1")) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    testing::DemoSyncFixture m_demo;
    std::unique_ptr<WorkspaceService> m_workspace;
};

void TestDiffPreview::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    if (!m_demo.create(*m_dir, &why))
        QSKIP(qPrintable(QStringLiteral("the demo warehouse cannot be created (SQLite3 ODBC driver missing?): ") + why));
    m_workspace = std::make_unique<WorkspaceService>();
    QVERIFY(testing::DemoSyncFixture::open(*m_workspace, m_demo.workspacePath()));
}

void TestDiffPreview::cleanup()
{
    m_workspace.reset();
    m_dir.reset();
}

bool TestDiffPreview::previewAndWait(DiffPreviewPanel &panel)
{
    panel.preview();
    if (panel.state() != DiffPreviewPanel::State::Planning)
        return false;
    if (!QTest::qWaitFor([&] { return panel.state() != DiffPreviewPanel::State::Planning; }, 60000))
        return false;
    return panel.state() == DiffPreviewPanel::State::Planned;
}

bool TestDiffPreview::sendAndWait(DiffPreviewPanel &panel)
{
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    if (panel.state() != DiffPreviewPanel::State::Sending)
        return false;
    if (!QTest::qWaitFor([&] { return panel.state() != DiffPreviewPanel::State::Sending; }, 60000))
        return false;
    return panel.state() == DiffPreviewPanel::State::Sent;
}

// Customers whose id is present and not repeated: the rows the sync can send.
qint64 TestDiffPreview::validCustomers(const QString &where) const
{
    return m_demo
        .scalar(QStringLiteral("select count(*) from customers where id in (select id from customers where id is not null "
                               "group by id having count(*) = 1) and (%1)")
                    .arg(where))
        .toLongLong();
}

void TestDiffPreview::countsAndTablesComeFromTheFrozenPlan()
{
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.resize(1000, 700);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    const auto &plan = panel.currentPlan()->plan;
    const qint64 total = m_demo.scalar(QStringLiteral("select count(*) from customers")).toLongLong();
    const qint64 valid = validCustomers();
    QVERIFY(valid > 9000);
    // A first plan adds every valid customer; the rest are invalid and never sent.
    QCOMPARE(plan.counts.added, valid);
    QCOMPARE(plan.counts.invalid, total - valid);
    QCOMPARE(plan.counts.changed, 0);
    QCOMPARE(plan.counts.removed, 0);
    QCOMPARE(panel.tabs()->tabText(0), QStringLiteral("Added (%1)").arg(formatCount(valid)));
    QCOMPARE(panel.tabs()->tabText(4), QStringLiteral("Invalid (%1)").arg(formatCount(total - valid)));
    QCOMPARE(panel.sendButton()->text(), QStringLiteral("Send %1 rows").arg(formatCount(valid)));

    // The Added table is lazy: one page now, the next when the view scrolls to the end.
    DiffRowsModel *added = panel.modelFor(DiffOp::Add);
    QTRY_COMPARE(added->rowCount(), DiffRowsModel::kPageRows);
    QCOMPARE(added->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Key"));
    const QStringList fields = panel.currentPlan()->fields;
    QVERIFY(fields.contains(QStringLiteral("email")));
    const int emailColumn = int(fields.indexOf(QStringLiteral("email"))) + 1;
    const QString firstKey = added->data(added->index(0, 0), Qt::DisplayRole).toString();
    QCOMPARE(added->data(added->index(0, emailColumn), Qt::DisplayRole).toString(),
             m_demo.scalar(QStringLiteral("select email from customers where id = %1").arg(firstKey)));
    panel.tableFor(DiffOp::Add)->scrollToBottom();
    QTRY_COMPARE(added->rowCount(), 2 * DiffRowsModel::kPageRows);

    // Invalid rows say why: the repeated id is one of them.
    const QString repeated = m_demo.scalar(
        QStringLiteral("select id from customers where id is not null group by id having count(*) > 1"));
    QVERIFY(!repeated.isEmpty());
    const auto *invalid = panel.invalidTable()->model();
    bool found = false;
    for (int row = 0; row < invalid->rowCount(); ++row)
        if (invalid->index(row, 0).data().toString() == repeated) {
            found = true;
            QVERIFY2(!invalid->index(row, 1).data().toString().isEmpty(), "an invalid row without a reason");
        }
    QVERIFY2(found, qPrintable(QStringLiteral("the repeated id %1 is not among the invalid rows").arg(repeated)));
}

void TestDiffPreview::searchByKeyNarrowsEveryTable()
{
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    DiffRowsModel *added = panel.modelFor(DiffOp::Add);
    QTRY_COMPARE(added->rowCount(), DiffRowsModel::kPageRows);
    QTest::keyClicks(panel.searchEdit(), QStringLiteral("123"));
    QTRY_VERIFY(added->keyFilter() == QStringLiteral("123") && !added->isLoading());
    const qint64 expected = validCustomers(QStringLiteral("cast(id as text) like '%123%'"));
    QVERIFY(expected > 0 && expected < DiffRowsModel::kPageRows);
    QCOMPARE(qint64(added->rowCount()), expected);
    for (int row = 0; row < added->rowCount(); ++row)
        QVERIFY(added->rowAt(row).key.contains(QStringLiteral("123")));

    // The invalid table narrows too: searching the repeated id keeps its rows only.
    const QString repeated = m_demo.scalar(
        QStringLiteral("select id from customers where id is not null group by id having count(*) > 1"));
    panel.searchEdit()->clear();
    QTest::keyClicks(panel.searchEdit(), repeated);
    QTRY_VERIFY(added->keyFilter() == repeated && !added->isLoading());
    const auto *invalid = panel.invalidTable()->model();
    QVERIFY(invalid->rowCount() >= 1);
    for (int row = 0; row < invalid->rowCount(); ++row)
        QVERIFY(invalid->index(row, 0).data().toString().contains(repeated));
}

void TestDiffPreview::editedRowShowsExactlyItsChangedFields()
{
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    QVERIFY(sendAndWait(panel));
    QCOMPARE(panel.lastRun()->status, QStringLiteral("succeeded"));

    // The analyst edits one customer in the warehouse.
    const QString id = m_demo.scalar(QStringLiteral("select min(id) from customers where plan <> 'enterprise' and id > 100"));
    const QString oldPlan = m_demo.scalar(QStringLiteral("select plan from customers where id = %1").arg(id));
    const QString oldSeats = m_demo.scalar(QStringLiteral("select seats from customers where id = %1").arg(id));
    const QString email = m_demo.scalar(QStringLiteral("select email from customers where id = %1").arg(id));
    QVERIFY(m_demo.execute(QStringLiteral("update customers set plan = 'enterprise', seats = seats + 5 where id = %1").arg(id)));

    QVERIFY(previewAndWait(panel));
    const auto &counts = panel.currentPlan()->plan.counts;
    QCOMPARE(counts.changed, 1);
    QCOMPARE(counts.added, 0);
    QCOMPARE(counts.removed, 0);
    QCOMPARE(panel.tabs()->currentIndex(), 1); // the Changed tab opens first
    QCOMPARE(panel.tabs()->tabText(1), QStringLiteral("Changed (1)"));
    DiffRowsModel *changed = panel.modelFor(DiffOp::Change);
    QTRY_COMPARE(changed->rowCount(), 1);
    QCOMPARE(changed->rowAt(0).key, id);
    const QStringList fields = panel.currentPlan()->fields;
    QStringList highlighted;
    for (int column = 1; column < changed->columnCount(); ++column) {
        const QModelIndex cell = changed->index(0, column);
        const bool marked = cell.data(Qt::BackgroundRole).isValid();
        QCOMPARE(marked, changed->isChangedCell(0, column));
        if (marked)
            highlighted << fields[column - 1];
    }
    highlighted.sort();
    QCOMPARE(highlighted, (QStringList{QStringLiteral("plan"), QStringLiteral("seats")}));
    const int planColumn = int(fields.indexOf(QStringLiteral("plan"))) + 1;
    const int seatsColumn = int(fields.indexOf(QStringLiteral("seats"))) + 1;
    const int emailColumn = int(fields.indexOf(QStringLiteral("email"))) + 1;
    QCOMPARE(changed->index(0, planColumn).data().toString(), DiffRowsModel::changedText(oldPlan, QStringLiteral("enterprise")));
    QCOMPARE(changed->index(0, seatsColumn).data().toString(),
             DiffRowsModel::changedText(oldSeats, QString::number(oldSeats.toInt() + 5)));
    QCOMPARE(changed->index(0, emailColumn).data().toString(), email); // unchanged: shown as it is
}

void TestDiffPreview::guardrailStopIsAQuestionWithTheNumbers()
{
    QVERIFY(m_demo.editSync([](engine::SyncDef &sync) { sync.onRemoved = engine::RemovedRowAction::Delete; }));
    DiffPreviewPanel panel(m_workspace.get(), nullptr);
    panel.show();
    panel.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(panel));
    QVERIFY(sendAndWait(panel));
    const qint64 delivered = panel.lastRun()->counts.accepted;

    // A model that suddenly lost 40% of its rows: more than the sync's 20% limit.
    QVERIFY(m_demo.execute(QStringLiteral("delete from customers where id % 5 in (1, 2)")));
    QVERIFY(previewAndWait(panel));
    const auto &plan = panel.currentPlan()->plan;
    QVERIFY(plan.blocked);
    QCOMPARE(plan.ledgerDelivered, delivered);
    QVERIFY(plan.counts.removed > delivered / 5);
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    QPointer<QMessageBox> question = panel.guardrailQuestion();
    QVERIFY(question);
    QTRY_VERIFY(question->isVisible());
    QCOMPARE(question->text(), QStringLiteral("This removes %1 of %2 records. Send anyway?")
                                   .arg(formatCount(plan.counts.removed), formatCount(delivered)));
    QCOMPARE(panel.state(), DiffPreviewPanel::State::Planned); // nothing sent while it asks

    // "Don't send" sends nothing.
    QAbstractButton *no = nullptr;
    QAbstractButton *yes = nullptr;
    for (QAbstractButton *button : question->buttons())
        (question->buttonRole(button) == QMessageBox::AcceptRole ? yes : no) = button;
    QVERIFY(yes && no);
    QTest::mouseClick(no, Qt::LeftButton);
    QCOMPARE(panel.state(), DiffPreviewPanel::State::Planned);

    // "Send anyway" sends the same plan with the override, and the removals happen.
    QTest::mouseClick(panel.sendButton(), Qt::LeftButton);
    question = panel.guardrailQuestion();
    QVERIFY(question);
    for (QAbstractButton *button : question->buttons())
        if (question->buttonRole(button) == QMessageBox::AcceptRole)
            QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel.state() == DiffPreviewPanel::State::Sent, 60000);
    QCOMPARE(panel.lastRun()->status, QStringLiteral("succeeded"));
    QCOMPARE(panel.lastRun()->planId, std::optional<qint64>(plan.id));
    QCOMPARE(panel.lastRun()->counts.accepted, plan.counts.removed);
    auto workspace = engine::state::Workspace::open(m_demo.workspacePath());
    QVERIFY(workspace);
    auto syncId = engine::state::DefinitionStore(**workspace).syncId(testing::DemoSyncFixture::syncName());
    QVERIFY(syncId);
    QCOMPARE(*engine::state::LedgerStore(**workspace).deliveredCount(*syncId), delivered - plan.counts.removed);
}

void TestDiffPreview::anOutdatedPreviewIsNeverSent()
{
    // Two previews of one sync; the first is sent, so the second no longer shows what a send would do.
    DiffPreviewPanel first(m_workspace.get(), nullptr);
    DiffPreviewPanel second(m_workspace.get(), nullptr);
    first.show();
    second.show();
    first.setSync(testing::DemoSyncFixture::syncName());
    second.setSync(testing::DemoSyncFixture::syncName());
    QVERIFY(previewAndWait(first));
    QVERIFY(previewAndWait(second));
    QVERIFY(sendAndWait(first));
    const qint64 delivered = first.lastRun()->counts.accepted;
    QTest::mouseClick(second.sendButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), DiffPreviewPanel::State::Failed, 30000);
    const QLabel *error = nullptr;
    for (const QLabel *label : second.findChildren<QLabel *>())
        if (label->isVisible() && label->text().contains(QStringLiteral("out of date")))
            error = label;
    QVERIFY2(error, "no visible 'out of date' message");
    QVERIFY(!second.lastRun());
    QVERIFY(second.previewButton()->isEnabled());
    auto workspace = engine::state::Workspace::open(m_demo.workspacePath());
    QVERIFY(workspace);
    auto syncId = engine::state::DefinitionStore(**workspace).syncId(testing::DemoSyncFixture::syncName());
    QVERIFY(syncId);
    QCOMPARE(*engine::state::LedgerStore(**workspace).deliveredCount(*syncId), delivered);
    QCOMPARE(engine::state::RunStore(**workspace).runs(*syncId, 10)->size(), size_t(1));
}

QTEST_MAIN(TestDiffPreview)
#include "tst_diffpreview.moc"
