#pragma once

#include "engine/core/cancellation.h"
#include "engine/schedule/duerunner.h"
#include "ui/syncs/schedulerservices.h"

#include <QObject>
#include <QSet>
#include <QStringList>

#include <chrono>

class QTimer;

namespace syncline::ui {

class WorkspaceService;

// The in-app scheduler: while the app is open (or in the tray) it looks for due syncs of the open
// workspace every `interval` and runs each in the background pool, one run per sync at a time
// (the engine's lease also keeps the CLI out). Due checks run on the workspace thread, runs in the
// background pool, never on the GUI thread. Results come back as signals on the GUI thread.
class SyncScheduler : public QObject
{
    Q_OBJECT
public:
    SyncScheduler(WorkspaceService *workspace, SchedulerServices services, QObject *parent = nullptr);
    ~SyncScheduler() override;

    void setInterval(std::chrono::milliseconds interval);
    void start();
    void stop();
    QStringList running() const;

    // Looks for due syncs now, and starts those not running yet.
    void checkNow();

signals:
    void runStarted(const QString &syncName);
    void runFinished(const syncline::engine::schedule::DueOutcome &outcome);
    void runningChanged(const QStringList &syncNames);

private:
    void startRun(const QString &syncName);

    WorkspaceService *m_workspace;
    SchedulerServices m_services;
    QTimer *m_timer;
    QSet<QString> m_running;
    engine::CancellationToken m_cancellation;
};

} // namespace syncline::ui

Q_DECLARE_METATYPE(syncline::engine::schedule::DueOutcome)
