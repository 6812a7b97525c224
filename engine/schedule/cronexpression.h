#pragma once
// Reads the five fields of a cron expression (minute hour day-of-month month day-of-week) with
// lists, ranges, steps and month/day names, into a CalendarRule. Failures name the field and
// the value, e.g. "cron field 2 (hour) '25': 25 is outside 0-23".

#include "engine/core/error.h"
#include "engine/schedule/calendarrule.h"

#include <QString>

namespace syncline::engine::schedule {

Result<CalendarRule> parseCron(const QString &fields);

} // namespace syncline::engine::schedule
