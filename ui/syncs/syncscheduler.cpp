#include "ui/syncs/syncscheduler.h"

#include "engine/schedule/schedulestatus.h"
#include "ui/services/backgroundpool.h"
#include "ui/services/workspaceservice.h"

#include <QPointer>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace syncline::ui {

using engine::schedule::DueOutcome;

SyncScheduler::SyncScheduler(WorkspaceService *workspace, SchedulerServices services, QObject *parent)
    : QObject(parent), m_workspace(workspace), m_services(std::move(services)), m_timer(new QTimer(this))
{
    qRegisterMetaType<DueOutcome>();
    m_timer->setInterval(std::chrono::seconds(30));
    connect(m_timer, &QTimer::timeout, this, &SyncScheduler::checkNow);
    connect(m_workspace, &WorkspaceService::opened, this, &SyncScheduler::checkNow);
}

SyncScheduler::~SyncScheduler()
{
    // Runs still going stop at their next batch; their results are dropped (the QPointer guard).
    m_cancellation.cancel();
}

void SyncScheduler::setInterval(std::chrono::milliseconds interval)
{
    m_timer->setInterval(interval);
}

void SyncScheduler::start()
{
    m_timer->start();
    checkNow();
}

void SyncScheduler::stop()
{
    m_timer->stop();
}

QStringList SyncScheduler::running() const
{
    QStringList names(m_running.begin(), m_running.end());
    names.sort();
    return names;
}

void SyncScheduler::checkNow()
{
    if (!m_workspace->isOpen() || !m_services.runIfDue)
        return;
    const QDateTime now = m_services.clock->now();
    const QTimeZone zone = m_services.zone;
    m_workspace->call<QStringList>(
        this,
        [now, zone](engine::state::Workspace &workspace) {
            QStringList due;
            if (auto statuses = engine::schedule::scheduleStatuses(workspace, now, zone))
                for (const auto &status : *statuses)
                    if (status.runsNow())
                        due << status.syncName;
            return due;
        },
        [this](QStringList due) {
            for (const QString &name : due)
                if (!m_running.contains(name))
                    startRun(name);
        });
}

void SyncScheduler::startRun(const QString &syncName)
{
    m_running.insert(syncName);
    emit runStarted(syncName);
    emit runningChanged(running());
    QPointer<SyncScheduler> guard(this);
    const QString path = m_workspace->path();
    auto run = m_services.runIfDue;
    const engine::CancellationToken cancellation = m_cancellation;
    (void)QtConcurrent::run(&backgroundPool(), [guard, path, syncName, run, cancellation] {
        DueOutcome outcome = run(path, syncName, cancellation);
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [guard, syncName, outcome] {
            if (!guard)
                return;
            guard->m_running.remove(syncName);
            emit guard->runFinished(outcome);
            emit guard->runningChanged(guard->running());
        }, Qt::QueuedConnection);
    });
}

} // namespace syncline::ui
