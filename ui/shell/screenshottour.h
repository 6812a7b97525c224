#pragma once

#include <QDir>
#include <QObject>
#include <QStringList>

class QDialog;

#include <functional>

namespace syncline::ui {

class DiffPreviewPanel;
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
    // The Preview & Send steps: a changed row highlighted, a send in progress, the runs chart.
    void previewStep(int index);
    // The Destinations form, the sync editor and the mapper on the demo sync.
    void editorStep(int index);
    // Runs `statements` against the demo warehouse off the GUI thread, then `next`.
    void changeDemoWarehouse(const QStringList &statements, std::function<void()> next);

    MainWindow *m_window;
    QDialog *m_previewDialog = nullptr;
    DiffPreviewPanel *m_preview = nullptr;
    QDir m_directory;
};

} // namespace syncline::ui
