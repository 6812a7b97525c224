#include "engine/schedule/duecheck.h"

namespace syncline::engine::schedule {

DueCheck checkDue(const Schedule &schedule, const std::optional<QDateTime> &lastStart, const QDateTime &now,
                  const QTimeZone &zone)
{
    DueCheck check;
    if (schedule.kind() == Schedule::Kind::Manual)
        return check;
    if (!lastStart) {
        check.due = true;
        return check;
    }
    // Only the first two scheduled times after the last start matter: none due, one, or more.
    const auto first = schedule.nextAfter(*lastStart, zone);
    if (!first || *first > now) {
        if (first)
            check.next = *first;
        return check;
    }
    check.due = true;
    check.missed = 1;
    if (const auto second = schedule.nextAfter(*first, zone); second && *second <= now) {
        check.missed = 2;
        check.trigger = state::RunTrigger::CatchUp;
    }
    return check;
}

} // namespace syncline::engine::schedule
