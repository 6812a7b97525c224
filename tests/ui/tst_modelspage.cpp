// The Models page driven like a user: type SQL, Ctrl+Enter, scroll, load more, pick a key,
// check it, save, and cancel a query that would run forever.

#include "engine/state/definitionstore.h"
#include "ui/sources/catalogbrowser.h"
#include "ui/models/keypanel.h"
#include "ui/models/modelspage.h"
#include "ui/models/previewpanel.h"
#include "ui/models/resultmodel.h"
#include "ui/models/sqleditor.h"
#include "ui/services/workspaceservice.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace syncline;
using namespace syncline::ui;

class TestModelsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void ctrlEnterPreviewsTypedSqlWithColumnTypes();
    void previewStopsAtCapAndLoadsMore();
    void keyCheckReportsNullAndRepeatedKeysOverWholeResult();
    void uniqueKeyIsReportedGood();
    void savedModelKeepsSqlSourceAndKey();
    void cancelStopsARunawayQueryWithoutFreezing();
    void newerPreviewDropsOlderResults();
    void pickingATableMakesASelectAllModel();
    void completionOffersTablesAndColumns();

private:
    void typeSql(const QString &sql);

    QTemporaryDir m_dir;
    QString m_warehouse;
    std::shared_ptr<testing::MemorySecrets> m_secrets;
    std::unique_ptr<WorkspaceService> m_workspace;
    std::unique_ptr<ModelsPage> m_page;
};

void TestModelsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_warehouse = m_dir.filePath(QStringLiteral("people.db"));
    auto created = testing::createPeopleWarehouse(m_warehouse, 5000);
    QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
    m_secrets = std::make_shared<testing::MemorySecrets>();
}

void TestModelsPage::init()
{
    static int counter = 0;
    const QString path = m_dir.filePath(QStringLiteral("ws%1.syncline").arg(++counter));
    {
        auto workspace = engine::state::Workspace::open(path);
        QVERIFY(workspace);
        engine::state::DefinitionStore store(**workspace);
        QVERIFY(store.saveSource({QStringLiteral("local"), testing::sqliteConnection(m_warehouse), {}}));
    }
    m_workspace = std::make_unique<WorkspaceService>();
    m_page = std::make_unique<ModelsPage>(m_workspace.get(), m_secrets);
    m_page->resize(1100, 700);
    m_page->show();
    QSignalSpy opened(m_workspace.get(), &WorkspaceService::opened);
    m_workspace->open(path);
    QVERIFY(opened.wait(5000));
    QTRY_COMPARE(m_page->sourceCombo()->currentText(), QStringLiteral("local"));
}

void TestModelsPage::cleanup()
{
    m_page.reset();
    m_workspace.reset();
}

void TestModelsPage::typeSql(const QString &sql)
{
    m_page->editor()->setAutoCompletionThreshold(-1); // keep the popup from taking keystrokes
    m_page->editor()->setFocus();
    QTest::keyClicks(m_page->editor(), sql);
    QCOMPARE(m_page->editor()->text(), sql);
}

void TestModelsPage::ctrlEnterPreviewsTypedSqlWithColumnTypes()
{
    typeSql(QStringLiteral("select id, email from people where id <= 3 order by id"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    PreviewPanel *preview = m_page->previewPanel();
    QTRY_COMPARE(preview->state(), PreviewPanel::State::Complete);
    ResultModel *model = preview->model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("person1@example.com"));
    const QString header = model->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString();
    QVERIFY2(header.startsWith(QStringLiteral("id\ninteger")), qPrintable(header));
    QVERIFY2(preview->statusText().contains(QStringLiteral("3 rows")), qPrintable(preview->statusText()));
    // The key picker offers the result's columns.
    QCOMPARE(m_page->keyPanel()->columnList()->count(), 2);
}

void TestModelsPage::previewStopsAtCapAndLoadsMore()
{
    typeSql(QStringLiteral("select * from people"));
    QTest::mouseClick(m_page->previewButton(), Qt::LeftButton);
    PreviewPanel *preview = m_page->previewPanel();
    QTRY_VERIFY(preview->model()->rowCount() > 0);
    // Only what the view asked for arrives: far fewer rows than the 5,003 the query returns.
    QTRY_COMPARE(preview->state(), PreviewPanel::State::MoreAvailable);
    QVERIFY(preview->model()->rowCount() < ResultModel::kDefaultCap);
    // Scrolling down fetches batch after batch up to the cap.
    QTRY_VERIFY_WITH_TIMEOUT((preview->view()->scrollToBottom(), preview->model()->rowCount() == ResultModel::kDefaultCap), 10000);
    QTRY_VERIFY(preview->loadMoreButton()->isVisible());
    QVERIFY2(preview->statusText().contains(QStringLiteral("more rows")), qPrintable(preview->statusText()));
    QTest::mouseClick(preview->loadMoreButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((preview->view()->scrollToBottom(), preview->model()->rowCount() == 2 * ResultModel::kDefaultCap), 10000);
}

void TestModelsPage::keyCheckReportsNullAndRepeatedKeysOverWholeResult()
{
    typeSql(QStringLiteral("select id, email from people"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    KeyPanel *keys = m_page->keyPanel();
    QTRY_COMPARE(keys->columnList()->count(), 2);
    keys->columnList()->item(0)->setCheckState(Qt::Checked); // id
    QCOMPARE(keys->key(), QStringList{QStringLiteral("id")});
    QTest::mouseClick(keys->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(keys->verdictText().contains(QStringLiteral("Not a usable key")), 10000);
    const QString verdict = keys->verdictText();
    // 5,003 rows: one NULL id, ids 7 and 42 each repeated once.
    QVERIFY2(verdict.contains(QStringLiteral("5,003 rows")), qPrintable(verdict));
    QVERIFY2(verdict.contains(QStringLiteral("1 row has a NULL key, e.g. NULL")), qPrintable(verdict));
    QVERIFY2(verdict.contains(QStringLiteral("2 rows repeat a key, e.g. 7, 42")), qPrintable(verdict));
}

void TestModelsPage::uniqueKeyIsReportedGood()
{
    typeSql(QStringLiteral("select id, email from people"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    KeyPanel *keys = m_page->keyPanel();
    QTRY_COMPARE(keys->columnList()->count(), 2);
    keys->columnList()->item(1)->setCheckState(Qt::Checked); // email
    QTest::mouseClick(keys->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(keys->verdictText().contains(QStringLiteral("Good key")), 10000);
    QVERIFY2(keys->verdictText().contains(QStringLiteral("5,003 rows")), qPrintable(keys->verdictText()));
}

void TestModelsPage::savedModelKeepsSqlSourceAndKey()
{
    const QString sql = QStringLiteral("select id, email from people where id is not null");
    typeSql(sql);
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(m_page->keyPanel()->columnList()->count(), 2);
    m_page->keyPanel()->columnList()->item(1)->setCheckState(Qt::Checked);
    QTest::keyClicks(m_page->nameEdit(), QStringLiteral("people"));
    QSignalSpy saved(m_page.get(), &ModelsPage::saved);
    m_page->save();
    QVERIFY(saved.wait(5000));
    QTRY_COMPARE(m_page->modelList()->count(), 1);

    std::optional<engine::ModelDef> stored;
    m_workspace->call<engine::Result<std::optional<engine::ModelDef>>>(
        this, [](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).model(QStringLiteral("people")); },
        [&](engine::Result<std::optional<engine::ModelDef>> model) { stored = model ? *model : std::nullopt; });
    QTRY_VERIFY(stored.has_value());
    QCOMPARE(stored->sql, sql);
    QCOMPARE(stored->source, QStringLiteral("local"));
    QCOMPARE(stored->primaryKey, QStringList{QStringLiteral("email")});
}

void TestModelsPage::cancelStopsARunawayQueryWithoutFreezing()
{
    testing::StallWatchdog watchdog;
    // Counts forever: only a real cancel (SQLCancel -> sqlite3_interrupt) ends it.
    typeSql(QStringLiteral("with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    PreviewPanel *preview = m_page->previewPanel();
    QCOMPARE(preview->state(), PreviewPanel::State::Running);
    QTest::qWait(500);
    QCOMPARE(preview->state(), PreviewPanel::State::Running);
    QVERIFY(preview->cancelButton()->isEnabled());
    QTest::mouseClick(preview->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(preview->state(), PreviewPanel::State::Cancelled, 3000);
    QVERIFY2(watchdog.longestStallMs() < 100, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(watchdog.longestStallMs())));
}

void TestModelsPage::newerPreviewDropsOlderResults()
{
    typeSql(QStringLiteral("select id from people where id = 1"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    m_page->editor()->setText(QStringLiteral("select email, team from people where id = 2"));
    QTest::keyClick(m_page->editor(), Qt::Key_Return, Qt::ControlModifier);
    PreviewPanel *preview = m_page->previewPanel();
    QTRY_COMPARE(preview->state(), PreviewPanel::State::Complete);
    QTest::qWait(200); // anything late from the first query would have arrived by now
    QCOMPARE(preview->model()->columnCount(), 2);
    QCOMPARE(preview->model()->rowCount(), 1);
    QCOMPARE(preview->model()->index(0, 0).data().toString(), QStringLiteral("person2@example.com"));
}

void TestModelsPage::pickingATableMakesASelectAllModel()
{
    QTreeWidget *tree = m_page->catalogBrowser()->tree();
    QTRY_VERIFY(tree->topLevelItemCount() > 0);
    const auto found = tree->findItems(QStringLiteral("people"), Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(found.size(), 1);
    emit tree->itemActivated(found.front(), 0);
    QCOMPARE(m_page->editor()->text(), QStringLiteral("select * from people"));
    QCOMPARE(m_page->nameEdit()->text(), QStringLiteral("people"));
    QTRY_VERIFY(m_page->previewPanel()->model()->rowCount() > 0);
}

void TestModelsPage::completionOffersTablesAndColumns()
{
    QTRY_VERIFY(m_page->editor()->completionWords().contains(QStringLiteral("people")));
    const QStringList words = m_page->editor()->completionWords();
    QVERIFY(words.contains(QStringLiteral("email")));
    QVERIFY(words.contains(QStringLiteral("people.email")));
    QVERIFY(words.contains(QStringLiteral("select")));
}

QTEST_MAIN(TestModelsPage)
#include "tst_modelspage.moc"
