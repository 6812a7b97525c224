#include "engine/schedule/localtime.h"

#include <algorithm>

namespace syncline::engine::schedule {

namespace {

constexpr qint64 kTwoDaysMs = 2 * 24 * 3600 * 1000LL;

int offsetAt(const QTimeZone &zone, qint64 utcMs)
{
    return zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC));
}

} // namespace

QDateTime scheduledInstant(QDate date, QTime time, const QTimeZone &zone)
{
    // The wall-clock reading as if it were UTC; an instant u shows it when u + offset(u) == wall.
    const qint64 wall = QDateTime(date, time, Qt::UTC).toMSecsSinceEpoch();
    if (!zone.isValid())
        return QDateTime::fromMSecsSinceEpoch(wall, Qt::UTC);
    // Zones change offset at most once within a few days, so the offsets two days either side
    // are the only ones this wall time can have.
    const int before = offsetAt(zone, wall - kTwoDaysMs);
    const int after = offsetAt(zone, wall + kTwoDaysMs);
    qint64 best = -1;
    bool found = false;
    for (int offset : {before, after}) {
        const qint64 candidate = wall - qint64(offset) * 1000;
        if (offsetAt(zone, candidate) == offset && (!found || candidate < best)) {
            best = candidate; // in an overlap both are valid: the first occurrence wins
            found = true;
        }
    }
    if (found)
        return QDateTime::fromMSecsSinceEpoch(best, Qt::UTC);
    // In a gap: the clock jumped over this time; run at the jump itself.
    const qint64 earliest = wall - qint64(std::max(before, after)) * 1000;
    const QTimeZone::OffsetData jump = zone.nextTransition(QDateTime::fromMSecsSinceEpoch(earliest - 1, Qt::UTC));
    if (jump.atUtc.isValid())
        return jump.atUtc.toUTC();
    return QDateTime::fromMSecsSinceEpoch(wall - qint64(before) * 1000, Qt::UTC);
}

} // namespace syncline::engine::schedule
