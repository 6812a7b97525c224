#include "engine/schedule/cronexpression.h"

#include <QRegularExpression>
#include <QStringList>

#include <array>
#include <bitset>

namespace syncline::engine::schedule {

namespace {

struct Field
{
    const char *label;
    int low;
    int high;
    std::array<const char *, 12> names; // names[i] = value low + i (cron's jan = 1, sun = 0)
};

const Field kFields[] = {
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day of month", 1, 31, {}},
    {"month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    {"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
};

Error fieldError(int index, const QString &text, const QString &why)
{
    return Error{QStringLiteral("schedule.invalid"),
                 QStringLiteral("cron field %1 (%2) '%3': %4").arg(index + 1).arg(QLatin1String(kFields[index].label), text, why),
                 false,
                 {}};
}

Result<int> value(int index, const QString &text, const QString &token)
{
    const Field &field = kFields[index];
    bool ok = false;
    const int number = token.toInt(&ok);
    if (ok) {
        if (number < field.low || number > field.high)
            return std::unexpected(fieldError(index, text, QStringLiteral("%1 is outside %2-%3").arg(number).arg(field.low).arg(field.high)));
        return number;
    }
    for (int i = 0; i < int(field.names.size()) && field.names[size_t(i)]; ++i)
        if (token.compare(QLatin1String(field.names[size_t(i)]), Qt::CaseInsensitive) == 0)
            return field.low + i;
    return std::unexpected(fieldError(index, text, QStringLiteral("'%1' is not a number%2").arg(token, field.names[0] ? QStringLiteral(" or a name like %1").arg(QLatin1String(field.names[1])) : QString())));
}

// Bits low..high of one field; bit 7 of the day-of-week field is folded onto 0 (both Sunday).
Result<std::bitset<64>> parseField(int index, const QString &text)
{
    const Field &field = kFields[index];
    std::bitset<64> bits;
    for (const QString &item : text.split(QLatin1Char(','))) {
        if (item.isEmpty())
            return std::unexpected(fieldError(index, text, QStringLiteral("an empty list entry; separate values with single commas")));
        QString range = item;
        int step = 1;
        if (const qsizetype slash = item.indexOf(QLatin1Char('/')); slash >= 0) {
            bool ok = false;
            step = item.mid(slash + 1).toInt(&ok);
            if (!ok || step < 1)
                return std::unexpected(fieldError(index, text, QStringLiteral("the step after '/' must be a whole number of at least 1")));
            range = item.left(slash);
        }
        int first = field.low;
        int last = field.high;
        if (range != QLatin1String("*")) {
            const QStringList ends = range.split(QLatin1Char('-'));
            if (ends.size() > 2)
                return std::unexpected(fieldError(index, text, QStringLiteral("a range has one '-', like 1-5")));
            auto from = value(index, text, ends.front());
            if (!from)
                return std::unexpected(from.error());
            first = *from;
            last = item.contains(QLatin1Char('/')) && ends.size() == 1 ? field.high : first;
            if (ends.size() == 2) {
                auto to = value(index, text, ends.back());
                if (!to)
                    return std::unexpected(to.error());
                last = *to;
                if (last < first)
                    return std::unexpected(fieldError(index, text, QStringLiteral("the range %1 runs backwards; write it from low to high").arg(range)));
            }
        }
        for (int v = first; v <= last; v += step)
            bits.set(size_t(v));
    }
    if (index == 4 && bits.test(7))
        bits.set(0);
    return bits;
}

} // namespace

Result<CalendarRule> parseCron(const QString &fields)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QStringList parts = fields.trimmed().split(space, Qt::SkipEmptyParts);
    if (parts.size() != 5)
        return fail(QStringLiteral("schedule.invalid"),
                    QStringLiteral("a cron expression has five fields (minute hour day-of-month month day-of-week), "
                                   "like 'cron 0 9 * * 1-5'; '%1' has %2")
                        .arg(fields.trimmed())
                        .arg(parts.size()));
    std::array<std::bitset<64>, 5> bits;
    for (int i = 0; i < 5; ++i) {
        auto parsed = parseField(i, parts[i]);
        if (!parsed)
            return std::unexpected(parsed.error());
        bits[size_t(i)] = *parsed;
    }
    CalendarRule rule;
    for (int hour = 0; hour < 24; ++hour)
        for (int minute = 0; minute < 60; ++minute)
            if (bits[1].test(size_t(hour)) && bits[0].test(size_t(minute)))
                rule.times.push_back(QTime(hour, minute));
    for (int day = 1; day <= 31; ++day)
        rule.daysOfMonth.set(size_t(day), bits[2].test(size_t(day)));
    for (int month = 1; month <= 12; ++month)
        rule.months.set(size_t(month), bits[3].test(size_t(month)));
    for (int day = 0; day < 7; ++day)
        rule.daysOfWeek.set(size_t(day), bits[4].test(size_t(day)));
    rule.anyDayOfMonth = parts[2].startsWith(QLatin1Char('*'));
    rule.anyDayOfWeek = parts[4].startsWith(QLatin1Char('*'));
    // A date that never exists (30 February) would make the schedule silent forever.
    bool possible = !rule.anyDayOfWeek; // every month has every weekday
    for (int month = 1; month <= 12 && !possible; ++month)
        for (int day = 1; day <= QDate(2024, month, 1).daysInMonth() && !possible; ++day)
            possible = rule.months.test(size_t(month)) && rule.daysOfMonth.test(size_t(day));
    if (!possible)
        return fail(QStringLiteral("schedule.invalid"),
                    QStringLiteral("the cron expression '%1' names a day that never comes (like 30 February); "
                                   "check the day-of-month and month fields")
                        .arg(parts.join(QLatin1Char(' '))));
    return rule;
}

} // namespace syncline::engine::schedule
