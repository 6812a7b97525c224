#pragma once
// Turns a wall-clock date and time in a zone into the instant a scheduled run happens, with the
// daylight-saving rules the scheduler promises: a time skipped by a spring-forward runs once, at
// the instant of the jump; a time that occurs twice in autumn runs once, at its first occurrence.

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QTimeZone>

namespace syncline::engine::schedule {

QDateTime scheduledInstant(QDate date, QTime time, const QTimeZone &zone); // UTC

} // namespace syncline::engine::schedule
