#include "engine/mapping/casts.h"

#include "engine/mapping/jsonwriter.h"

#include <QDate>
#include <QDateTime>
#include <QTime>

#include <cstring>

namespace syncline::engine::mapping {

using warehouse::ColumnKind;

std::optional<Cast> Cast::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? trimmed : trimmed.left(colon)).trimmed().toLower();
    const QString format = colon < 0 ? QString() : trimmed.mid(colon + 1).trimmed();
    Cast cast;
    if (name.isEmpty() && colon < 0)
        cast.kind = Kind::None;
    else if (name == QLatin1String("text") || name == QLatin1String("string"))
        cast.kind = Kind::Text;
    else if (name == QLatin1String("number"))
        cast.kind = Kind::Number;
    else if (name == QLatin1String("integer"))
        cast.kind = Kind::Integer;
    else if (name == QLatin1String("boolean"))
        cast.kind = Kind::Boolean;
    else if (name == QLatin1String("date"))
        cast.kind = Kind::Date;
    else if (name == QLatin1String("timestamp"))
        cast.kind = Kind::Timestamp;
    else if (name == QLatin1String("json"))
        cast.kind = Kind::Json;
    else
        return std::nullopt;
    if (colon >= 0) {
        // Only dates and timestamps take a format, and then a non-empty one.
        if ((cast.kind != Kind::Date && cast.kind != Kind::Timestamp) || format.isEmpty())
            return std::nullopt;
        cast.format = format;
    }
    return cast;
}

QString Cast::knownCasts()
{
    return QStringLiteral("text, number, integer, boolean, date, date:FORMAT, timestamp, timestamp:FORMAT, json");
}

QString Cast::name() const
{
    QString base;
    switch (kind) {
    case Kind::None:
        return QString();
    case Kind::Text:
        base = QStringLiteral("text");
        break;
    case Kind::Number:
        base = QStringLiteral("number");
        break;
    case Kind::Integer:
        base = QStringLiteral("integer");
        break;
    case Kind::Boolean:
        base = QStringLiteral("boolean");
        break;
    case Kind::Date:
        base = QStringLiteral("date");
        break;
    case Kind::Timestamp:
        base = QStringLiteral("timestamp");
        break;
    case Kind::Json:
        base = QStringLiteral("json");
        break;
    }
    return format.isEmpty() ? base : base + QLatin1Char(':') + format;
}

bool castFits(ColumnKind kind, const Cast &cast, QString *why)
{
    const bool temporal = kind == ColumnKind::Date || kind == ColumnKind::Time || kind == ColumnKind::Timestamp
        || kind == ColumnKind::TimestampTz;
    bool fits = true;
    switch (cast.kind) {
    case Cast::Kind::None:
    case Cast::Kind::Text:
        break;
    case Cast::Kind::Number:
    case Cast::Kind::Integer:
    case Cast::Kind::Boolean:
        fits = !temporal && kind != ColumnKind::Binary;
        break;
    case Cast::Kind::Date:
    case Cast::Kind::Timestamp:
        fits = kind == ColumnKind::Date || kind == ColumnKind::Timestamp || kind == ColumnKind::TimestampTz
            || kind == ColumnKind::Text;
        break;
    case Cast::Kind::Json:
        fits = kind != ColumnKind::Binary;
        break;
    }
    if (!fits && why)
        *why = QStringLiteral("a %1 column cannot be cast to %2").arg(warehouse::columnKindName(kind), cast.name());
    return fits;
}

namespace {

bool digits(std::string_view text, size_t pos, size_t count, int &value)
{
    if (pos + count > text.size())
        return false;
    value = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

void appendPadded(std::string &out, int value, int width)
{
    char buffer[8];
    for (int i = width - 1; i >= 0; --i) {
        buffer[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buffer, static_cast<size_t>(width));
}

// Moves a time with an offset to UTC (the date may change).
void toUtc(IsoDateTime &value)
{
    if (!value.hasOffset || value.offsetSeconds == 0)
        return;
    QDateTime local(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second), Qt::UTC);
    const QDateTime utc = local.addSecs(-value.offsetSeconds);
    value.year = utc.date().year();
    value.month = utc.date().month();
    value.day = utc.date().day();
    value.hour = utc.time().hour();
    value.minute = utc.time().minute();
    value.second = utc.time().second();
    value.offsetSeconds = 0;
}

int fractionMilliseconds(std::string_view fraction)
{
    int ms = 0;
    for (size_t i = 0; i < 3; ++i)
        ms = ms * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    return ms;
}

bool appendDateTime(std::string &out, IsoDateTime value, const Cast &cast)
{
    toUtc(value);
    if (cast.format.isEmpty()) {
        out.push_back('"');
        appendPadded(out, value.year, 4);
        out.push_back('-');
        appendPadded(out, value.month, 2);
        out.push_back('-');
        appendPadded(out, value.day, 2);
        if (cast.kind == Cast::Kind::Timestamp) {
            out.push_back('T');
            appendPadded(out, value.hour, 2);
            out.push_back(':');
            appendPadded(out, value.minute, 2);
            out.push_back(':');
            appendPadded(out, value.second, 2);
            if (!value.fraction.empty()) {
                out.push_back('.');
                out.append(value.fraction);
            }
            if (value.hasOffset)
                out.push_back('Z');
        }
        out.push_back('"');
        return true;
    }
    const QDate date(value.year, value.month, value.day);
    QString text;
    if (cast.kind == Cast::Kind::Date) {
        text = date.toString(cast.format);
    } else {
        const QTime time(value.hour, value.minute, value.second, fractionMilliseconds(value.fraction));
        text = QDateTime(date, time, Qt::UTC).toString(cast.format);
    }
    json::appendString(out, text.toUtf8().toStdString());
    return true;
}

bool parseBoolean(std::string_view text, bool &value)
{
    text = trimmed(text);
    if (text.size() > 5)
        return false;
    char lower[6] = {};
    for (size_t i = 0; i < text.size(); ++i)
        lower[i] = static_cast<char>(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
    const std::string_view word(lower, text.size());
    if (word == "true" || word == "t" || word == "1" || word == "yes" || word == "y") {
        value = true;
        return true;
    }
    if (word == "false" || word == "f" || word == "0" || word == "no" || word == "n") {
        value = false;
        return true;
    }
    return false;
}

} // namespace

bool parseIsoDateTime(std::string_view text, IsoDateTime &out)
{
    text = trimmed(text);
    out = IsoDateTime {};
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, out.year)
        || !digits(text, 5, 2, out.month) || !digits(text, 8, 2, out.day)
        || !QDate::isValid(out.year, out.month, out.day))
        return false;
    size_t pos = 10;
    if (pos == text.size())
        return true;
    if (text[pos] != 'T' && text[pos] != ' ' && text[pos] != 't')
        return false;
    ++pos;
    if (!digits(text, pos, 2, out.hour) || pos + 2 >= text.size() || text[pos + 2] != ':'
        || !digits(text, pos + 3, 2, out.minute))
        return false;
    pos += 5;
    out.hasTime = true;
    if (pos < text.size() && text[pos] == ':') {
        if (!digits(text, pos + 1, 2, out.second))
            return false;
        pos += 3;
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            const size_t start = ++pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
                ++pos;
            if (pos == start)
                return false;
            out.fraction = text.substr(start, pos - start);
        }
    }
    if (out.hour > 23 || out.minute > 59 || out.second > 59)
        return false;
    if (pos == text.size())
        return true;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        out.hasOffset = true;
        return pos + 1 == text.size();
    }
    if (text[pos] != '+' && text[pos] != '-')
        return false;
    const int sign = text[pos] == '-' ? -1 : 1;
    int hours = 0, minutes = 0;
    if (!digits(text, pos + 1, 2, hours))
        return false;
    pos += 3;
    if (pos < text.size() && text[pos] == ':')
        ++pos;
    if (pos < text.size()) {
        if (!digits(text, pos, 2, minutes))
            return false;
        pos += 2;
    }
    if (pos != text.size() || hours > 18 || minutes > 59)
        return false;
    out.hasOffset = true;
    out.offsetSeconds = sign * (hours * 3600 + minutes * 60);
    return true;
}

bool appendIsoAs(std::string &out, std::string_view isoText, const Cast &cast, const char *&why)
{
    IsoDateTime value;
    if (!parseIsoDateTime(isoText, value)) {
        why = cast.kind == Cast::Kind::Date ? "is not a date" : "is not a timestamp";
        return false;
    }
    return appendDateTime(out, value, cast);
}

bool appendTextAs(std::string &out, std::string_view text, const Cast &cast, const char *&why)
{
    switch (cast.kind) {
    case Cast::Kind::None:
    case Cast::Kind::Text:
        json::appendString(out, text);
        return true;
    case Cast::Kind::Number:
        if (json::appendNumberText(out, text))
            return true;
        why = "is not a number";
        return false;
    case Cast::Kind::Integer:
        if (json::appendIntegerText(out, text))
            return true;
        why = "is not an integer";
        return false;
    case Cast::Kind::Boolean: {
        bool value = false;
        if (parseBoolean(text, value)) {
            out.append(value ? "true" : "false");
            return true;
        }
        why = "is not a boolean (true/false, 1/0, yes/no, t/f)";
        return false;
    }
    case Cast::Kind::Date:
    case Cast::Kind::Timestamp: {
        IsoDateTime value;
        if (parseIsoDateTime(text, value))
            return appendDateTime(out, value, cast);
        if (!cast.format.isEmpty()) {
            // Text written in the cast's own format ("01.03.2024" for date:dd.MM.yyyy).
            const QString qtext = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).trimmed();
            if (cast.kind == Cast::Kind::Date) {
                const QDate date = QDate::fromString(qtext, cast.format);
                if (date.isValid()) {
                    json::appendString(out, date.toString(cast.format).toUtf8().toStdString());
                    return true;
                }
            } else {
                QDateTime dateTime = QDateTime::fromString(qtext, cast.format);
                if (dateTime.isValid()) {
                    dateTime.setTimeSpec(Qt::UTC);
                    json::appendString(out, dateTime.toString(cast.format).toUtf8().toStdString());
                    return true;
                }
            }
        }
        why = cast.kind == Cast::Kind::Date ? "is not a date" : "is not a timestamp";
        return false;
    }
    case Cast::Kind::Json:
        if (json::appendCanonicalJson(out, text))
            return true;
        why = "is not valid JSON";
        return false;
    }
    return false;
}

} // namespace syncline::engine::mapping
