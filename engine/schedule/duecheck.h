#pragma once
// Whether a sync is due: it has never run, or its latest scheduled time at or before `now` is
// after its last run's start. Several scheduled times missed (a laptop that slept) give one run,
// marked catch-up, never a burst. Pure function of its arguments; any thread.

#include "engine/schedule/schedule.h"
#include "engine/state/runstore.h"

#include <QDateTime>
#include <QTimeZone>

#include <optional>

namespace syncline::engine::schedule {

struct DueCheck
{
    bool due = false;
    state::RunTrigger trigger = state::RunTrigger::Schedule; // Schedule, or CatchUp when 2+ times were missed
    int missed = 0;          // scheduled times since the last run, counted up to 2
    QDateTime next;          // when not due: the next scheduled time (invalid for manual)
};

DueCheck checkDue(const Schedule &schedule, const std::optional<QDateTime> &lastStart, const QDateTime &now,
                  const QTimeZone &zone);

} // namespace syncline::engine::schedule
