#pragma once

#include <QDir>
#include <QObject>

#include <functional>

namespace syncline::ui {

class MainWindow;

// Developer tool behind `syncline --screenshot-dir DIR`: visits each screen of the real app on
// the open workspace, saves a PNG of each (QWidget::grab) and quits. Used by scripts/screenshots.sh.
class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent = nullptr);
    void start(); // call once the workspace is open

private:
    void save(QWidget *widget, const QString &name);
    // Runs `next` when `ready` holds (polled), or after `timeoutMs` regardless.
    void when(std::function<bool()> ready, std::function<void()> next, int timeoutMs = 20000);
    void step(int index);

    MainWindow *m_window;
    QDir m_directory;
};

} // namespace syncline::ui
