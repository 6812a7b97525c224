#pragma once
// A sync's schedule, parsed from its text: "manual" (or empty), "every 30m" / "every 2h",
// "daily 09:00" / "daily 09:00,17:30", "weekly mon,thu 08:00", or "cron 0 9 * * 1-5".
// Calendar times are wall-clock times in the zone given to nextAfter(), so 09:00 stays 09:00
// across daylight-saving changes; see localtime.h for the skipped and repeated hours.
// Failures: "schedule.invalid" with a message that says what to write instead. Plain value.

#include "engine/core/error.h"
#include "engine/schedule/calendarrule.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <chrono>
#include <optional>
#include <vector>

namespace syncline::engine::schedule {

class Schedule
{
public:
    enum class Kind { Manual, Interval, Calendar };

    static Result<Schedule> parse(const QString &text);
    static QString formsHint(); // "manual, every 30m, daily 09:00, ..." for error messages and tooltips

    Kind kind() const { return m_kind; }
    QString text() const { return m_text; }
    std::chrono::minutes interval() const { return m_interval; }

    // Interval: `after` + the interval. Calendar: the first run time strictly after `after`
    // (UTC), or nothing when none comes within five years. Manual: nothing.
    std::optional<QDateTime> nextAfter(const QDateTime &after, const QTimeZone &zone) const;
    // Up to `count` run times after `after`, in order.
    std::vector<QDateTime> nextRuns(const QDateTime &after, int count, const QTimeZone &zone) const;

private:
    Kind m_kind = Kind::Manual;
    QString m_text;
    std::chrono::minutes m_interval{0};
    CalendarRule m_rule;
};

} // namespace syncline::engine::schedule
