#include "engine/schedule/schedule.h"

#include "engine/schedule/cronexpression.h"
#include "engine/schedule/localtime.h"

#include <QRegularExpression>
#include <QStringList>

namespace syncline::engine::schedule {

namespace {

constexpr int kSearchDays = 5 * 366 + 1; // a 29 February cron waits up to eight years only across 2100

Error invalid(const QString &message)
{
    return Error{QStringLiteral("schedule.invalid"), message, false, {}};
}

Result<std::vector<QTime>> parseTimes(const QString &text, const QString &schedule)
{
    static const QRegularExpression clock(QStringLiteral("^(\\d{1,2}):(\\d{2})$"));
    std::vector<QTime> times;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const auto match = clock.match(part.trimmed());
        const QTime time = match.hasMatch() ? QTime(match.captured(1).toInt(), match.captured(2).toInt()) : QTime();
        if (!time.isValid())
            return std::unexpected(invalid(QStringLiteral("'%1' in schedule '%2' is not a time; write 24-hour times "
                                                          "like 09:00 or 17:30, separated by commas")
                                               .arg(part.trimmed(), schedule)));
        times.push_back(time);
    }
    return times;
}

Result<std::bitset<7>> parseWeekdays(const QString &text, const QString &schedule)
{
    static const char *const names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    std::bitset<7> days;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString day = part.trimmed().toLower();
        bool known = false;
        for (int i = 0; i < 7 && !known; ++i) {
            const QString name = QString::fromLatin1(names[i]);
            if (day == name || day == name.left(3)) {
                days.set(size_t(i));
                known = true;
            }
        }
        if (!known)
            return std::unexpected(invalid(QStringLiteral("'%1' in schedule '%2' is not a day of the week; write "
                                                          "mon, tue, wed, thu, fri, sat or sun, separated by commas")
                                               .arg(part.trimmed(), schedule)));
    }
    return days;
}

} // namespace

QString Schedule::formsHint()
{
    return QStringLiteral("manual, every 30m, every 2h, daily 09:00, daily 09:00,17:30, weekly mon,thu 08:00 "
                          "or cron 0 9 * * 1-5");
}

Result<Schedule> Schedule::parse(const QString &input)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QString text = input.trimmed();
    const QStringList words = text.split(space, Qt::SkipEmptyParts);
    Schedule schedule;
    schedule.m_text = words.join(QLatin1Char(' '));
    const QString kind = words.isEmpty() ? QStringLiteral("manual") : words.front().toLower();
    if (kind == QLatin1String("manual") && words.size() <= 1) {
        schedule.m_text = QStringLiteral("manual");
        return schedule;
    }
    if (kind == QLatin1String("every")) {
        static const QRegularExpression amount(QStringLiteral("^(\\d+)\\s*(m|min|minutes?|h|hours?)$"),
                                               QRegularExpression::CaseInsensitiveOption);
        const auto match = amount.match(words.mid(1).join(QString()));
        const qint64 count = match.hasMatch() ? match.captured(1).toLongLong() : 0;
        const bool hours = match.hasMatch() && match.captured(2).startsWith(QLatin1Char('h'), Qt::CaseInsensitive);
        const qint64 minutes = hours ? count * 60 : count;
        if (minutes < 1 || minutes > 7 * 24 * 60)
            return std::unexpected(invalid(QStringLiteral("schedule '%1' needs an interval from 1 minute to 7 days, "
                                                          "like 'every 30m' or 'every 2h'")
                                               .arg(schedule.m_text)));
        schedule.m_kind = Kind::Interval;
        schedule.m_interval = std::chrono::minutes(minutes);
        return schedule;
    }
    if (kind == QLatin1String("daily")) {
        if (words.size() != 2)
            return std::unexpected(invalid(QStringLiteral("schedule '%1' needs one or more times, like "
                                                          "'daily 09:00' or 'daily 09:00,17:30' (no spaces)")
                                               .arg(schedule.m_text)));
        auto times = parseTimes(words[1], schedule.m_text);
        if (!times)
            return std::unexpected(times.error());
        schedule.m_kind = Kind::Calendar;
        schedule.m_rule = CalendarRule::everyDay(std::move(*times));
        return schedule;
    }
    if (kind == QLatin1String("weekly")) {
        if (words.size() != 3)
            return std::unexpected(invalid(QStringLiteral("schedule '%1' needs days and times, like "
                                                          "'weekly mon,thu 08:00' (no spaces inside each list)")
                                               .arg(schedule.m_text)));
        auto days = parseWeekdays(words[1], schedule.m_text);
        if (!days)
            return std::unexpected(days.error());
        auto times = parseTimes(words[2], schedule.m_text);
        if (!times)
            return std::unexpected(times.error());
        schedule.m_kind = Kind::Calendar;
        schedule.m_rule = CalendarRule::everyDay(std::move(*times));
        schedule.m_rule.daysOfWeek = *days;
        schedule.m_rule.anyDayOfWeek = false;
        return schedule;
    }
    if (kind == QLatin1String("cron")) {
        auto rule = parseCron(words.mid(1).join(QLatin1Char(' ')));
        if (!rule)
            return std::unexpected(rule.error());
        schedule.m_kind = Kind::Calendar;
        schedule.m_rule = std::move(*rule);
        return schedule;
    }
    return std::unexpected(invalid(QStringLiteral("unknown schedule '%1'; write one of %2").arg(schedule.m_text, formsHint())));
}

std::optional<QDateTime> Schedule::nextAfter(const QDateTime &after, const QTimeZone &zone) const
{
    if (m_kind == Kind::Manual)
        return std::nullopt;
    if (m_kind == Kind::Interval)
        return after.toUTC().addSecs(qint64(m_interval.count()) * 60);
    const QDateTime instant = after.toUTC();
    // Start a day early: a time on the previous local date can still lie after `after` when the
    // zone's offset changed in between.
    QDate date = instant.toTimeZone(zone).date().addDays(-1);
    for (int i = 0; i < kSearchDays; ++i, date = date.addDays(1)) {
        if (!m_rule.runsOn(date))
            continue;
        for (const QTime &time : m_rule.times) {
            const QDateTime candidate = scheduledInstant(date, time, zone);
            if (candidate > instant)
                return candidate;
        }
    }
    return std::nullopt;
}

std::vector<QDateTime> Schedule::nextRuns(const QDateTime &after, int count, const QTimeZone &zone) const
{
    std::vector<QDateTime> runs;
    QDateTime from = after;
    while (int(runs.size()) < count) {
        const auto next = nextAfter(from, zone);
        if (!next)
            break;
        runs.push_back(*next);
        from = *next;
    }
    return runs;
}

} // namespace syncline::engine::schedule
