#pragma once

#include "engine/schedule/duerunner.h"

#include <QObject>
#include <QStringList>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace syncline::ui {

// The system tray icon while scheduled syncs may run: its tooltip and menu say what is running,
// a failed run raises a desktop notification, and clicking that notification asks to show the
// Runs page. Does nothing where the platform has no tray (isAvailable() is false).
class SchedulerTray : public QObject
{
    Q_OBJECT
public:
    explicit SchedulerTray(QObject *parent = nullptr);

    bool isAvailable() const { return m_tray != nullptr; }
    void setRunning(const QStringList &syncNames);
    // Notifies about a run that failed or could not start; other outcomes only update the tooltip.
    void reportOutcome(const engine::schedule::DueOutcome &outcome);
    // A one-time note (the first minimise to the tray), as a quiet desktop notification.
    void explainOnce(const QString &message);
    QString toolTip() const { return m_toolTip; }
    QString lastMessage() const { return m_lastMessage; }

signals:
    void showWindowRequested();
    void showRunsRequested();
    void quitRequested();

private:
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_status = nullptr;
    QString m_toolTip;
    QString m_lastMessage;
    bool m_explained = false;
};

} // namespace syncline::ui
