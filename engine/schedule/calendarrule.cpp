#include "engine/schedule/calendarrule.h"

#include <algorithm>

namespace syncline::engine::schedule {

bool CalendarRule::runsOn(QDate date) const
{
    if (!months.test(size_t(date.month())))
        return false;
    const bool dayOfMonth = daysOfMonth.test(size_t(date.day()));
    const bool dayOfWeek = daysOfWeek.test(size_t(date.dayOfWeek() % 7));
    if (anyDayOfMonth && anyDayOfWeek)
        return true;
    if (anyDayOfMonth)
        return dayOfWeek;
    if (anyDayOfWeek)
        return dayOfMonth;
    return dayOfMonth || dayOfWeek;
}

CalendarRule CalendarRule::everyDay(std::vector<QTime> times)
{
    CalendarRule rule;
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    rule.times = std::move(times);
    rule.daysOfMonth.set();
    rule.months.set();
    rule.daysOfWeek.set();
    return rule;
}

} // namespace syncline::engine::schedule
