#pragma once

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/schedule/clock.h"
#include "engine/schedule/duerunner.h"

#include <QString>
#include <QTimeZone>

#include <functional>
#include <memory>

namespace syncline::ui {

// What the scheduler, the tray and the schedule dialog need from the composition root, which
// builds them from app/common (the engine bootstrap and the OS scheduler installer), so ui/
// never links app/. Every function may block: the UI calls them off the GUI thread.
struct SchedulerServices
{
    std::shared_ptr<const engine::schedule::Clock> clock = std::make_shared<engine::schedule::SystemClock>();
    QTimeZone zone = QTimeZone::systemTimeZone();
    // Runs the named sync of the workspace once if it is due, under its lease (DueRunner::runIfDue).
    std::function<engine::schedule::DueOutcome(const QString &workspacePath, const QString &syncName,
                                               const engine::CancellationToken &cancellation)>
        runIfDue;
    // Installs (true) or removes (false) the OS scheduler units that run the workspace's due syncs
    // while the app is closed; the text says what was done or what the user still has to run.
    std::function<engine::Result<QString>(const QString &workspacePath, bool install)> keepRunningWhenClosed;
    std::function<bool(const QString &workspacePath)> keepsRunningWhenClosed;
};

} // namespace syncline::ui
