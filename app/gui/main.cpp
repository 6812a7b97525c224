// syncline: the desktop app. A composition root only.

#include "engine/secrets/keychainsecretresolver.h"
#include "ui/demoworkspace.h"
#include "ui/keychainsecretwriter.h"
#include "ui/mainwindow.h"
#include "ui/screenshottour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Syncline"));
    QApplication::setOrganizationName(QStringLiteral("Syncline"));
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
    if (!parser.positionalArguments().isEmpty())
        window.openWorkspace(parser.positionalArguments().front());
    else
        window.openInitialWorkspace();
    return app.exec();
}
