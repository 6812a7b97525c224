// syncline: the desktop app. A composition root only.

#include "engine/core/appfolders.h"
#include "engine/secrets/keychainsecretresolver.h"
#include "engine/state/foldermigration.h"
#include "ui/demoworkspace.h"
#include "ui/keychainsecretwriter.h"
#include "ui/mainwindow.h"
#include "ui/screenshottour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

int main(int argc, char *argv[])
{
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
    services.secrets = std::make_shared<syncline::engine::secrets::KeychainSecretResolver>();
    services.secretWriter = std::make_shared<syncline::ui::KeychainSecretWriter>();
    services.createDemoWorkspace = &syncline::ui::createDemoWorkspace;
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
