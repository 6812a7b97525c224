// syncline: the desktop app. A composition root only.

#include "app/common/enginebootstrap.h"
#include "app/common/schedulerinstaller.h"
#include "engine/schedule/duerunner.h"
#include "engine/core/appfolders.h"
#include "engine/secrets/compositesecretresolver.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/secrets/keychainsecretresolver.h"
#include "engine/state/foldermigration.h"
#include "ui/shell/demoworkspace.h"
#include "ui/services/keychainsecretwriter.h"
#include "ui/services/mallocpolicy.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/screenshottour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

namespace {

// Engine diagnostics of background runs go to the log; the run's outcome is what the user sees.
class LogDiagnosticSink final : public syncline::engine::DiagnosticSink
{
public:
    void report(syncline::engine::Severity, const QString &where, const QString &message) override
    {
        qInfo("%s: %s", qPrintable(where), qPrintable(message));
    }
};

// The app's secrets: { env: NAME } from the environment, { keychain: ENTRY } from the OS keychain,
// as the CLI reads them, so a destination imported from YAML tests the same in the app.
class AppSecretResolver final : public syncline::engine::SecretResolver
{
public:
    syncline::engine::Result<QString> resolve(const syncline::engine::SecretRef &ref) override { return m_both.resolve(ref); }
    syncline::engine::Result<void> store(const syncline::engine::SecretRef &ref, const QString &value) override
    {
        return m_both.store(ref, value);
    }

private:
    syncline::engine::secrets::EnvSecretResolver m_env;
    syncline::engine::secrets::KeychainSecretResolver m_keychain;
    syncline::engine::secrets::CompositeSecretResolver m_both{m_env, m_keychain};
};

// Scheduled runs, each on its own engine (workspace connection, connectors, secrets) in the
// background thread that runs it, and the OS scheduler for when the app is closed.
syncline::ui::SchedulerServices schedulerServices()
{
    using namespace syncline;
    ui::SchedulerServices services;
    auto clock = services.clock;
    const QTimeZone zone = services.zone;
    services.runIfDue = [clock, zone](const QString &path, const QString &sync, const engine::CancellationToken &cancel) {
        LogDiagnosticSink sink;
        auto bootstrap = app::EngineBootstrap::open(path, sink, engine::state::Workspace::OpenMode::MustExist);
        if (!bootstrap) {
            engine::schedule::DueOutcome outcome;
            outcome.syncName = sync;
            outcome.kind = engine::schedule::DueOutcome::Kind::Refused;
            outcome.message = bootstrap.error().toString();
            return outcome;
        }
        return engine::schedule::DueRunner((*bootstrap)->services(), *clock, zone).runIfDue(sync, cancel);
    };
    services.keepRunningWhenClosed = [](const QString &path, bool install) -> engine::Result<QString> {
        const app::SchedulerInstaller installer(app::SchedulerInstaller::defaultCliPath(), path);
        auto report = install ? installer.install() : installer.uninstall();
        if (!report)
            return std::unexpected(report.error());
        QString text = report->note;
        if (!report->toRun.isEmpty())
            text += QStringLiteral("\n") + report->toRun.join(QStringLiteral("\n"));
        return text;
    };
    services.keepsRunningWhenClosed = [](const QString &path) {
        return app::SchedulerInstaller(app::SchedulerInstaller::defaultCliPath(), path).isInstalled();
    };
    return services;
}

} // namespace

int main(int argc, char *argv[])
{
    // Before any worker thread allocates: previews, key checks and sends free millions of cells.
    syncline::ui::keepMallocFromStallingTheGui();
    QApplication app(argc, argv);
    syncline::engine::AppFolders::setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Syncline"));
    QApplication::setDesktopFileName(QStringLiteral("syncline")); // Wayland finds the icon through it
    QApplication::setApplicationVersion(QStringLiteral(SYNCLINE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/syncline.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Reverse ETL on the desktop."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshots(QStringLiteral("screenshot-dir"),
                                         QStringLiteral("Developer option: visit each screen, save PNGs into DIR, quit."),
                                         QStringLiteral("DIR"));
    parser.addOption(screenshots);
    parser.addPositionalArgument(QStringLiteral("workspace"), QStringLiteral("A workspace file to open."), QStringLiteral("[workspace]"));
    parser.process(app);

    // First start after an upgrade: the workspace and settings move to today's folders.
    const QStringList moved = syncline::engine::state::migrateLegacyFolders().messages;

    syncline::ui::MainWindowServices services;
    services.secrets = std::make_shared<AppSecretResolver>();
    services.secretWriter = std::make_shared<syncline::ui::KeychainSecretWriter>();
    services.createDemoWorkspace = &syncline::ui::createDemoWorkspace;
    services.scheduler = schedulerServices();
    syncline::ui::MainWindow window(services);

    syncline::ui::ScreenshotTour *tour = nullptr;
    if (parser.isSet(screenshots)) {
        tour = new syncline::ui::ScreenshotTour(&window, parser.value(screenshots), &window);
        QObject::connect(&window, &syncline::ui::MainWindow::workspaceReady, tour, &syncline::ui::ScreenshotTour::start,
                         Qt::SingleShotConnection);
    }
    window.show();
    if (!moved.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, moved] {
            QMessageBox::information(&window, QObject::tr("Syncline moved its folders"), moved.join(QLatin1Char('\n')));
        });
    }
    if (!parser.positionalArguments().isEmpty())
        window.openWorkspace(parser.positionalArguments().front());
    else
        window.openInitialWorkspace();
    return app.exec();
}
