// The in-app scheduler on the demo workspace: a due sync runs in the background (never on the
// GUI thread), one run per sync at a time, and is not run again until it is due; a scheduled
// run that cannot start raises the tray notification; and a failure alert is posted to a webhook
// (a real HTTP server on 127.0.0.1).

#include "app/common/enginebootstrap.h"
#include "engine/demo/demoworkspace.h"
#include "engine/schedule/duerunner.h"
#include "engine/state/definitionstore.h"
#include "engine/state/runstore.h"
#include "ui/shell/demoworkspace.h"
#include "ui/runs/runalerts.h"
#include "ui/shell/schedulertray.h"
#include "ui/syncs/syncscheduler.h"
#include "ui/services/workspaceservice.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace syncline;
using namespace syncline::ui;
using engine::schedule::DueOutcome;

namespace {

class QuietSink final : public engine::DiagnosticSink
{
public:
    void report(engine::Severity, const QString &, const QString &) override {}
};

} // namespace

class TestScheduling : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_workspaces = 0;
    std::atomic<int> m_runsOnGuiThread{0};
    std::atomic<int> m_runsInBackground{0};

    // The composition root's runIfDue, watching which thread it runs on.
    SchedulerServices services()
    {
        SchedulerServices services;
        auto clock = services.clock;
        services.runIfDue = [this, clock](const QString &path, const QString &sync, const engine::CancellationToken &cancel) {
            ++(QThread::currentThread() == QCoreApplication::instance()->thread() ? m_runsOnGuiThread : m_runsInBackground);
            QuietSink sink;
            auto bootstrap = app::EngineBootstrap::open(path, sink, engine::state::Workspace::OpenMode::MustExist);
            return engine::schedule::DueRunner((*bootstrap)->services(), *clock, QTimeZone::systemTimeZone()).runIfDue(sync, cancel);
        };
        return services;
    }

    QString demoWorkspace(const QString &schedule)
    {
        const QString path = m_dir.filePath(QStringLiteral("s%1.syncline").arg(++m_workspaces));
        if (!createDemoWorkspace(path))
            qFatal("cannot create the demo workspace");
        auto workspace = engine::state::Workspace::open(path, engine::state::Workspace::OpenMode::MustExist);
        engine::state::DefinitionStore definitions(**workspace);
        engine::SyncDef sync = **definitions.sync(engine::demo::DemoNames::sync());
        sync.schedule = schedule;
        if (!definitions.saveSync(sync))
            qFatal("cannot schedule the demo sync");
        return path;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SynclineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_scheduling"));
        qputenv("SYNCLINE_DEMO_DIR", m_dir.filePath(QStringLiteral("demo")).toUtf8());
    }

    void aDueSyncRunsOnceInTheBackground()
    {
        const QString path = demoWorkspace(QStringLiteral("every 1h"));
        WorkspaceService workspace;
        SyncScheduler scheduler(&workspace, services());
        QSignalSpy started(&scheduler, &SyncScheduler::runStarted);
        QSignalSpy finished(&scheduler, &SyncScheduler::runFinished);
        workspace.open(path); // opening looks for due syncs at once
        QVERIFY(started.wait(10000));
        // Asked again while it runs: the same sync is not started twice.
        scheduler.checkNow();
        scheduler.checkNow();
        QCOMPARE(scheduler.running(), QStringList{engine::demo::DemoNames::sync()});
        QVERIFY(finished.wait(120000));
        QCOMPARE(started.size(), 1);
        const auto outcome = finished.front().front().value<DueOutcome>();
        QCOMPARE(outcome.kind, DueOutcome::Kind::Ran);
        QCOMPARE(outcome.run->status, QStringLiteral("succeeded"));
        QCOMPARE(outcome.run->trigger, engine::state::RunTrigger::Schedule);
        QVERIFY(scheduler.running().isEmpty());
        QCOMPARE(m_runsOnGuiThread.load(), 0);
        QVERIFY(m_runsInBackground.load() >= 1);

        // Not due again for an hour: further looks start nothing.
        scheduler.checkNow();
        QTest::qWait(500);
        QCOMPARE(started.size(), 1);
        auto check = engine::state::Workspace::open(path, engine::state::Workspace::OpenMode::MustExist);
        QCOMPARE(engine::state::RunStore(**check).runs(std::nullopt, 10)->size(), size_t(1));
    }

    void aScheduledRunThatCannotStartRaisesANotification()
    {
        const QString path = demoWorkspace(QStringLiteral("daily 09:00"));
        {
            // The destination's folder is gone: the run cannot start.
            auto workspace = engine::state::Workspace::open(path, engine::state::Workspace::OpenMode::MustExist);
            engine::state::DefinitionStore definitions(**workspace);
            engine::DestinationDef destination = **definitions.destination(engine::demo::DemoNames::destination());
            destination.settings.insert(QStringLiteral("folder"), m_dir.filePath(QStringLiteral("no-such-folder")));
            QVERIFY(definitions.saveDestination(destination));
        }
        WorkspaceService workspace;
        SyncScheduler scheduler(&workspace, services());
        SchedulerTray tray;
        connect(&scheduler, &SyncScheduler::runFinished, &tray, &SchedulerTray::reportOutcome);
        connect(&scheduler, &SyncScheduler::runningChanged, &tray, &SchedulerTray::setRunning);
        QSignalSpy finished(&scheduler, &SyncScheduler::runFinished);
        workspace.open(path);
        QVERIFY(finished.wait(60000));
        QVERIFY2(tray.lastMessage().startsWith(QStringLiteral("Sync 'customers-to-csv' could not run:")), qPrintable(tray.lastMessage()));
        QVERIFY2(tray.lastMessage().contains(QStringLiteral("no-such-folder")), qPrintable(tray.lastMessage()));
        QCOMPARE(tray.toolTip(), QStringLiteral("Syncline: no sync is running"));
    }

    void aFailedRunIsPostedToTheAlertWebhook()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QByteArray request;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                request += socket->readAll();
                const qsizetype end = request.indexOf("\r\n\r\n");
                const qsizetype length = request.mid(request.indexOf("Content-Length:") + 15, 12).trimmed().split('\r').front().toLongLong();
                if (end >= 0 && request.size() >= end + 4 + length)
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            });
        });
        DueOutcome outcome;
        outcome.syncName = QStringLiteral("nightly");
        outcome.kind = DueOutcome::Kind::Ran;
        engine::state::RunInfo run;
        run.id = 7;
        run.status = QStringLiteral("failed");
        run.error = QStringLiteral("the destination answered 503");
        outcome.run = run;

        RunAlerts alerts;
        QSignalSpy delivered(&alerts, &RunAlerts::delivered);
        // No URL, no alert; a successful run, no alert.
        QVERIFY(!alerts.notify(outcome, AlertSettings{}));
        const AlertSettings settings{QStringLiteral("http://127.0.0.1:%1/hook").arg(server.serverPort()), 0.1};
        DueOutcome fine = outcome;
        fine.run->status = QStringLiteral("succeeded");
        QVERIFY(!alerts.notify(fine, settings));

        QVERIFY(alerts.notify(outcome, settings));
        QVERIFY(delivered.wait(10000));
        QVERIFY2(delivered.front().at(1).toBool(), qPrintable(delivered.front().at(2).toString()));
        QVERIFY(request.startsWith("POST /hook "));
        const QJsonObject body = QJsonDocument::fromJson(request.mid(request.indexOf("\r\n\r\n") + 4)).object();
        QCOMPARE(body.value(QStringLiteral("text")).toString(),
                 QStringLiteral("Sync 'nightly' failed (run 7): the destination answered 503"));
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));

        // A run rejecting more than the chosen share alerts too.
        DueOutcome rejecting = fine;
        rejecting.run->counts.sent = 100;
        rejecting.run->counts.rejected = 11;
        QVERIFY2(RunAlerts::reasonFor(rejecting, settings).contains(QStringLiteral("rejected 11 of 100 rows, more than 10 %")),
                 qPrintable(RunAlerts::reasonFor(rejecting, settings)));
        rejecting.run->counts.rejected = 10;
        QVERIFY(RunAlerts::reasonFor(rejecting, settings).isEmpty());
    }
};

QTEST_MAIN(TestScheduling)
#include "tst_scheduling.moc"
