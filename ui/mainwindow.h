#pragma once

#include <QMainWindow>

namespace syncline::ui {

// The application shell: a sidebar that routes to one widget per feature.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace syncline::ui
