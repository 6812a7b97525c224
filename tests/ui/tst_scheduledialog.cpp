// The schedule dialog as a user meets it from the Syncs page: it shows the sync's schedule and
// its next five run times in local time, an error (and no Save) for a bad cron expression, saves
// a good one into the workspace, and its "Keep running scheduled syncs when Syncline is closed"
// checkbox calls the same install code as 'syncline-cli schedule install'.

#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "ui/shell/demoworkspace.h"
#include "ui/syncs/scheduledialog.h"
#include "ui/services/workspaceservice.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline;
using namespace syncline::ui;

namespace {

class FixedClock final : public engine::schedule::Clock
{
public:
    explicit FixedClock(QDateTime time) : m_time(std::move(time)) {}
    QDateTime now() const override { return m_time; }

private:
    QDateTime m_time;
};

QStringList items(const QListWidget *list)
{
    QStringList texts;
    for (int i = 0; i < list->count(); ++i)
        texts << list->item(i)->text();
    return texts;
}

} // namespace

class TestScheduleDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    WorkspaceService *m_workspace = nullptr;
    const QTimeZone m_berlin{QByteArrayLiteral("Europe/Berlin")};
    QList<QPair<QString, bool>> m_installs;

    SchedulerServices services()
    {
        SchedulerServices services;
        // Tuesday 1 December 2026, 12:00 in Berlin.
        services.clock = std::make_shared<FixedClock>(QDateTime(QDate(2026, 12, 1), QTime(12, 0), m_berlin));
        services.zone = m_berlin;
        services.keepRunningWhenClosed = [this](const QString &path, bool install) -> engine::Result<QString> {
            m_installs.append({path, install});
            return install ? QStringLiteral("installed") : QStringLiteral("removed");
        };
        services.keepsRunningWhenClosed = [](const QString &) { return false; };
        return services;
    }

private slots:
    void initTestCase()
    {
        if (!m_berlin.isValid())
            QSKIP("the time zone database has no Europe/Berlin (install tzdata)");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SynclineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_scheduledialog"));
        qputenv("SYNCLINE_DEMO_DIR", m_dir.filePath(QStringLiteral("demo")).toUtf8());
        m_path = m_dir.filePath(QStringLiteral("dialog.syncline"));
        QVERIFY(createDemoWorkspace(m_path));
        m_workspace = new WorkspaceService(this);
        QSignalSpy opened(m_workspace, &WorkspaceService::opened);
        m_workspace->open(m_path);
        QVERIFY(opened.wait(10000));
    }

    void showsTheNextFiveRunTimesInLocalTime()
    {
        ScheduleDialog dialog(m_workspace, services(), engine::demo::DemoNames::sync());
        dialog.show();
        QTRY_VERIFY(dialog.scheduleEdit()->isEnabled()); // the sync was read on the workspace thread
        QCOMPARE(items(dialog.nextRuns()), QStringList{QStringLiteral("Runs only when started by hand.")});

        dialog.scheduleEdit()->setText(QStringLiteral("weekly mon,thu 08:00"));
        const QStringList next = items(dialog.nextRuns());
        QCOMPARE(next.size(), 5);
        QVERIFY2(next[0].contains(QStringLiteral("2026-12-03 08:00 CET")), qPrintable(next.join(QLatin1Char('|'))));
        QVERIFY2(next[1].contains(QStringLiteral("2026-12-07 08:00 CET")), qPrintable(next.join(QLatin1Char('|'))));
        QVERIFY2(next[3].contains(QStringLiteral("2026-12-14 08:00 CET")), qPrintable(next.join(QLatin1Char('|'))));
        QVERIFY2(next[4].contains(QStringLiteral("2026-12-17 08:00 CET")), qPrintable(next.join(QLatin1Char('|'))));
        QVERIFY(!dialog.errorLabel()->isVisible());
    }

    void aBadCronShowsItsErrorAndCannotBeSaved()
    {
        ScheduleDialog dialog(m_workspace, services(), engine::demo::DemoNames::sync());
        dialog.show();
        QTRY_VERIFY(dialog.scheduleEdit()->isEnabled());
        dialog.scheduleEdit()->setText(QStringLiteral("cron 0 25 * * 1-5"));
        QVERIFY(dialog.errorLabel()->isVisible());
        QVERIFY2(dialog.errorLabel()->text().contains(QStringLiteral("cron field 2 (hour) '25': 25 is outside 0-23")),
                 qPrintable(dialog.errorLabel()->text()));
        QCOMPARE(dialog.nextRuns()->count(), 0);
        auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
        QVERIFY(!save->isEnabled());
        dialog.scheduleEdit()->setText(QStringLiteral("cron 0 9 * * 1-5"));
        QVERIFY(!dialog.errorLabel()->isVisible());
        QVERIFY(save->isEnabled());
    }

    void savingStoresTheScheduleInTheWorkspace()
    {
        ScheduleDialog dialog(m_workspace, services(), engine::demo::DemoNames::sync());
        dialog.show();
        QTRY_VERIFY(dialog.scheduleEdit()->isEnabled());
        dialog.scheduleEdit()->setText(QStringLiteral("daily  09:00,17:30"));
        QSignalSpy saved(&dialog, &ScheduleDialog::saved);
        dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
        QVERIFY(saved.wait(10000));
        auto workspace = engine::state::Workspace::open(m_path, engine::state::Workspace::OpenMode::MustExist);
        QVERIFY(workspace);
        auto sync = engine::state::DefinitionStore(**workspace).sync(engine::demo::DemoNames::sync());
        QCOMPARE((*sync)->schedule, QStringLiteral("daily 09:00,17:30"));

        // Opened again, the dialog shows what was saved.
        ScheduleDialog again(m_workspace, services(), engine::demo::DemoNames::sync());
        QTRY_COMPARE(again.scheduleEdit()->text(), QStringLiteral("daily 09:00,17:30"));
    }

    void keepRunningWhenClosedCallsTheInstaller()
    {
        ScheduleDialog dialog(m_workspace, services(), engine::demo::DemoNames::sync());
        dialog.show();
        QSignalSpy changed(&dialog, &ScheduleDialog::keepRunningChanged);
        dialog.keepRunningBox()->setChecked(true);
        QVERIFY(changed.wait(10000));
        QCOMPARE(m_installs.size(), 1);
        QCOMPARE(m_installs.front(), qMakePair(m_path, true));
        QCOMPARE(changed.front().at(1).toString(), QStringLiteral("installed"));
        dialog.keepRunningBox()->setChecked(false);
        QVERIFY(changed.wait(10000));
        QCOMPARE(m_installs.back(), qMakePair(m_path, false));
    }
};

QTEST_MAIN(TestScheduleDialog)
#include "tst_scheduledialog.moc"
