#pragma once
// Where each sync stands with its schedule at a given instant: its parsed schedule, whether it
// is due (and as a catch-up), when it runs next, and whether it is put off after failing to reach
// its warehouse or destination. What run-due, the app's scheduler and 'schedule show' read.
// Thread: the workspace's thread.

#include "engine/core/error.h"
#include "engine/schedule/duecheck.h"
#include "engine/schedule/schedule.h"
#include "engine/schedule/schedulestore.h"

#include <QDateTime>
#include <QTimeZone>

#include <optional>
#include <vector>

namespace syncline::engine::state {
class Workspace;
}

namespace syncline::engine::schedule {

struct SyncScheduleStatus
{
    qint64 syncId = 0;
    QString syncName;
    std::optional<Schedule> schedule; // unset when the stored text does not parse (scheduleError says why)
    QString scheduleError;
    std::optional<QDateTime> lastStart; // the later of the last run's start and the last scheduled attempt
    ScheduleState state;
    DueCheck check;
    bool putOff = false; // due, but waiting for its backoff to pass (state.nextAttemptAtMs)

    bool runsNow() const { return check.due && !putOff; }
};

Result<SyncScheduleStatus> scheduleStatus(state::Workspace &workspace, const QString &syncName, const QDateTime &now,
                                          const QTimeZone &zone);
// Every sync, in name order.
Result<std::vector<SyncScheduleStatus>> scheduleStatuses(state::Workspace &workspace, const QDateTime &now,
                                                         const QTimeZone &zone);

} // namespace syncline::engine::schedule
