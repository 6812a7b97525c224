#include "ui/mainwindow.h"

#include <QLabel>

namespace syncline::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Syncline"));
    setCentralWidget(new QLabel(tr("Syncline"), this));
    resize(1100, 720);
}

} // namespace syncline::ui
