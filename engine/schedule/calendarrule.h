#pragma once
// The calendar part of a schedule: the days a schedule runs on and the wall-clock times of those
// days. Daily, weekly and cron schedules are all one of these. Plain value, any thread.

#include <QDate>
#include <QTime>

#include <bitset>
#include <vector>

namespace syncline::engine::schedule {

struct CalendarRule
{
    std::vector<QTime> times;   // sorted, distinct, whole minutes
    std::bitset<32> daysOfMonth; // bit d = day d (1..31)
    std::bitset<13> months;      // bit m = month m (1..12)
    std::bitset<7> daysOfWeek;   // bit 0 = Sunday .. 6 = Saturday (cron's numbering)
    bool anyDayOfMonth = true;   // cron '*' in the day-of-month field
    bool anyDayOfWeek = true;    // cron '*' in the day-of-week field

    // Cron's rule: when both day fields are restricted, a day matching either one runs.
    bool runsOn(QDate date) const;
    static CalendarRule everyDay(std::vector<QTime> times);
};

} // namespace syncline::engine::schedule
