// syncline: the desktop app. A composition root only.

#include "ui/mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Syncline"));
    QApplication::setOrganizationName(QStringLiteral("Syncline"));
    QApplication::setApplicationVersion(QStringLiteral(SYNCLINE_VERSION));
    syncline::ui::MainWindow window;
    window.show();
    return app.exec();
}
