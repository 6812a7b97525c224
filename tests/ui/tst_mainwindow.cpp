// The shell: first start opens the demo workspace on the welcome page; the sidebar routes to
// one page per feature; the workspace is remembered for next time.

#include "ui/shell/demoworkspace.h"
#include "ui/shell/mainwindow.h"
#include "ui/models/modelspage.h"
#include "ui/sources/sourcespage.h"
#include "ui/shell/welcomepage.h"
#include "ui/services/workspaceservice.h"
#include "uitestsupport.h"

#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace syncline;
using namespace syncline::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void firstStartShowsWelcomePageOnTheDemoWorkspace();
    void sidebarRoutesToOnePagePerFeature();
    void nextStartReopensTheLastWorkspace();
    void menusHaveStandardShortcuts();

private:
    MainWindowServices services();
    QTemporaryDir m_dir;
    QString m_workspacePath;
    std::shared_ptr<testing::MemorySecrets> m_secrets = std::make_shared<testing::MemorySecrets>();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SynclineTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings().clear();
    m_workspacePath = m_dir.filePath(QStringLiteral("first.syncline"));
    qputenv("SYNCLINE_WORKSPACE", m_workspacePath.toUtf8());
    qputenv("SYNCLINE_DEMO_DIR", m_dir.filePath(QStringLiteral("demo")).toUtf8());
}

MainWindowServices TestMainWindow::services()
{
    return {m_secrets, m_secrets, &createDemoWorkspace};
}

void TestMainWindow::firstStartShowsWelcomePageOnTheDemoWorkspace()
{
    MainWindow window(services());
    window.show();
    QSignalSpy ready(&window, &MainWindow::workspaceReady);
    window.openInitialWorkspace();
    QCOMPARE(window.currentPage(), MainWindow::Page::Welcome);
    QVERIFY(window.welcomePage()->isVisible());
    QVERIFY(ready.wait(20000));
    QCOMPARE(ready.front().front().toString(), m_workspacePath);
    // The demo workspace holds the demo warehouse as a source and the customers model.
    QTRY_COMPARE(window.sourcesPage()->list()->topLevelItemCount(), 1);
    QCOMPARE(window.sourcesPage()->list()->topLevelItem(0)->text(0), QStringLiteral("demo-warehouse"));
    QTRY_VERIFY(!window.modelsPage()->modelList()->findItems(QStringLiteral("customers"), Qt::MatchExactly).isEmpty());
    QVERIFY(window.windowTitle().contains(QStringLiteral("first")));
}

void TestMainWindow::sidebarRoutesToOnePagePerFeature()
{
    MainWindow window(services());
    window.show();
    auto *sidebar = window.findChild<QListWidget *>();
    QVERIFY(sidebar);
    const QStringList expected{QStringLiteral("Getting started"), QStringLiteral("Sources"), QStringLiteral("Models"),
                               QStringLiteral("Destinations"), QStringLiteral("Syncs"), QStringLiteral("Runs")};
    QCOMPARE(sidebar->count(), int(expected.size()));
    for (int row = 0; row < sidebar->count(); ++row) {
        QCOMPARE(sidebar->item(row)->text(), expected[row]);
        const QRect rect = sidebar->visualItemRect(sidebar->item(row));
        QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(int(window.currentPage()), row);
    }
    QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, sidebar->visualItemRect(sidebar->item(2)).center());
    QVERIFY(window.modelsPage()->isVisible());
    QVERIFY(!window.sourcesPage()->isVisible());
}

void TestMainWindow::nextStartReopensTheLastWorkspace()
{
    qunsetenv("SYNCLINE_WORKSPACE");
    const QStringList recent = QSettings().value(QStringLiteral("workspaces/recent")).toStringList();
    QCOMPARE(recent.value(0), m_workspacePath);
    MainWindow window(services());
    QSignalSpy ready(&window, &MainWindow::workspaceReady);
    window.openInitialWorkspace();
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.front().front().toString(), m_workspacePath);
    QVERIFY(window.currentPage() != MainWindow::Page::Welcome);
    qputenv("SYNCLINE_WORKSPACE", m_workspacePath.toUtf8());
}

void TestMainWindow::menusHaveStandardShortcuts()
{
    MainWindow window(services());
    const auto shortcutOf = [&](const QString &text) {
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == text)
                return action->shortcut();
        return QKeySequence();
    };
    for (const auto &[text, key] : {std::pair{QStringLiteral("&New Workspace…"), QKeySequence::New},
                                    std::pair{QStringLiteral("&Open Workspace…"), QKeySequence::Open},
                                    std::pair{QStringLiteral("&Quit"), QKeySequence::Quit}}) {
        QVERIFY2(!shortcutOf(text).isEmpty(), qPrintable(text));
        if (!QKeySequence::keyBindings(key).isEmpty())
            QCOMPARE(shortcutOf(text), QKeySequence(key));
        else
            QCOMPARE(shortcutOf(text), QKeySequence(Qt::CTRL | Qt::Key_Q)); // the platform has no standard Quit key
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
