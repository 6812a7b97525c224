#include "engine/state/payloadscalars.h"

#include <charconv>

namespace syncline::engine::state::payloadcodec::scalars {

namespace {

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), and back.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = std::int64_t(yoe) + era * 400 + (m <= 2);
}

void appendPadded(std::string &out, std::uint64_t v, size_t width)
{
    std::string digits;
    appendUnsigned(digits, v);
    if (digits.size() < width)
        out.append(width - digits.size(), '0');
    out += digits;
}


unsigned digitsOf(std::string_view s, size_t pos, size_t count, bool &ok)
{
    unsigned v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') {
            ok = false;
            return 0;
        }
        v = v * 10 + unsigned(s[i] - '0');
    }
    return v;
}

} // namespace

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

bool getVarint(std::string_view in, size_t &pos, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size())
            return false;
        const auto byte = static_cast<unsigned char>(in[pos++]);
        v |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

std::uint64_t zigzag(std::int64_t v)
{
    return (std::uint64_t(v) << 1) ^ std::uint64_t(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v)
{
    return std::int64_t(v >> 1) ^ -std::int64_t(v & 1);
}

// The end of the JSON string token starting at `pos` (a quote), or npos.
size_t stringEnd(std::string_view s, size_t pos)
{
    for (size_t i = pos + 1; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return std::string_view::npos;
}

// The end of the JSON value starting at `pos` inside an object or array, or npos. Scalars end
// at the next delimiter; what they hold is checked only when a typed form is tried.
size_t valueEnd(std::string_view s, size_t pos)
{
    if (pos >= s.size())
        return std::string_view::npos;
    if (s[pos] == '"')
        return stringEnd(s, pos);
    if (s[pos] == '{' || s[pos] == '[') {
        int depth = 0;
        for (size_t i = pos; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                i = stringEnd(s, i);
                if (i == std::string_view::npos)
                    return i;
                --i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return std::string_view::npos;
    }
    size_t i = pos;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']')
        ++i;
    return i == pos ? std::string_view::npos : i;
}

// A canonical unsigned integer: digits, no leading zero, fits 64 bits.
bool parseUnsigned(std::string_view s, std::uint64_t &v)
{
    if (!allDigits(s) || (s.size() > 1 && s[0] == '0'))
        return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size();
}

void appendUnsigned(std::string &out, std::uint64_t v)
{
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, end);
}

// A canonical decimal ("-12.50"): its digits without the point, shifted left, with the sign in
// bit 0, and the number of digits after the point.
bool decimalParts(std::string_view text, std::uint64_t &packed, std::uint64_t &scale)
{
    const bool negative = !text.empty() && text[0] == '-';
    const std::string_view body = negative ? text.substr(1) : text;
    const size_t point = body.find('.');
    if (point == std::string_view::npos || point == 0)
        return false;
    const std::string_view whole = body.substr(0, point), fraction = body.substr(point + 1);
    if (!allDigits(whole) || !allDigits(fraction) || (whole.size() > 1 && whole[0] == '0') || fraction.size() >= 64
        || whole.size() + fraction.size() > 18)
        return false;
    std::uint64_t digits = 0;
    for (char c : whole)
        digits = digits * 10 + std::uint64_t(c - '0');
    for (char c : fraction)
        digits = digits * 10 + std::uint64_t(c - '0');
    if (negative && digits == 0)
        return false; // "-0.0" would come back without its sign
    packed = (digits << 1) | (negative ? 1 : 0);
    scale = fraction.size();
    return true;
}

void renderDecimal(std::string &out, std::uint64_t packed, std::uint64_t scale)
{
    if (packed & 1)
        out.push_back('-');
    std::string digits;
    appendUnsigned(digits, packed >> 1);
    if (digits.size() <= scale)
        digits.insert(0, scale + 1 - digits.size(), '0');
    out.append(digits, 0, digits.size() - scale);
    out.push_back('.');
    out.append(digits, digits.size() - scale, std::string::npos);
}

void renderTimestamp(std::string &out, unsigned format, std::int64_t seconds, unsigned fractionDigits,
                     std::uint64_t fraction, std::int64_t offsetMinutes)
{
    const std::int64_t days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
    const std::int64_t inDay = seconds - days * 86400;
    std::int64_t y;
    unsigned m, d;
    civilFromDays(days, y, m, d);
    out.push_back('"');
    appendPadded(out, std::uint64_t(y), 4);
    out.push_back('-');
    appendPadded(out, m, 2);
    out.push_back('-');
    appendPadded(out, d, 2);
    if (!(format & 2)) {
        out.push_back(format & 1 ? ' ' : 'T');
        appendPadded(out, std::uint64_t(inDay / 3600), 2);
        out.push_back(':');
        appendPadded(out, std::uint64_t(inDay / 60 % 60), 2);
        out.push_back(':');
        appendPadded(out, std::uint64_t(inDay % 60), 2);
        if (fractionDigits > 0) {
            out.push_back('.');
            appendPadded(out, fraction, fractionDigits);
        }
        const unsigned zone = (format >> 2) & 7;
        if (zone == Utc) {
            out.push_back('Z');
        } else if (zone != NoZone) {
            out.push_back(offsetMinutes < 0 ? '-' : '+');
            const std::uint64_t abs = std::uint64_t(offsetMinutes < 0 ? -offsetMinutes : offsetMinutes);
            appendPadded(out, abs / 60, 2);
            if (zone == OffsetColon)
                out.push_back(':');
            if (zone != OffsetHours)
                appendPadded(out, abs % 60, 2);
        }
    }
    out.push_back('"');
}

// The tag parameter of a timestamp is fraction digits + 10 * code; the three most common
// formats ("T...Z", "T" without zone, " " without zone) get codes 0-2, so their tag is one byte.
std::uint64_t formatCode(unsigned format)
{
    return format == (Utc << 2) ? 0 : format == 0 ? 1 : format == 1 ? 2 : 3 + format;
}

unsigned formatOf(std::uint64_t code)
{
    return code == 0 ? (Utc << 2) : code == 1 ? 0 : code == 2 ? 1 : unsigned(code - 3);
}

bool parseTimestamp(std::string_view token, TimestampParts &parts)
{
    if (token.size() < 12 || token.size() > 40 || token[5] != '-' || token[8] != '-')
        return false;
    const std::string_view s = token.substr(1, token.size() - 2);
    bool ok = true;
    const unsigned year = digitsOf(s, 0, 4, ok), month = digitsOf(s, 5, 2, ok), day = digitsOf(s, 8, 2, ok);
    if (!ok || month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    unsigned format = 0, fractionDigits = 0;
    std::uint64_t fraction = 0;
    std::int64_t offset = 0;
    std::int64_t seconds = daysFromCivil(year, month, day) * 86400;
    if (s.size() == 10) {
        format = 2;
    } else {
        if (s.size() < 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
            return false;
        format = s[10] == ' ' ? 1 : 0;
        const unsigned h = digitsOf(s, 11, 2, ok), mi = digitsOf(s, 14, 2, ok), sec = digitsOf(s, 17, 2, ok);
        if (!ok || h > 23 || mi > 59 || sec > 59)
            return false;
        seconds += h * 3600 + mi * 60 + sec;
        size_t pos = 19;
        if (pos < s.size() && s[pos] == '.') {
            size_t end = pos + 1;
            while (end < s.size() && s[end] >= '0' && s[end] <= '9')
                ++end;
            fractionDigits = unsigned(end - pos - 1);
            if (fractionDigits < 1 || fractionDigits > 9)
                return false;
            fraction = digitsOf(s, pos + 1, fractionDigits, ok);
            pos = end;
        }
        const std::string_view zone = s.substr(pos);
        if (zone == "Z") {
            format |= Utc << 2;
        } else if (!zone.empty()) {
            if (zone[0] != '+' && zone[0] != '-')
                return false;
            const unsigned hours = digitsOf(zone, 1, 2, ok);
            unsigned minutes = 0;
            Zone kind;
            if (zone.size() == 3) {
                kind = OffsetHours;
            } else if (zone.size() == 6 && zone[3] == ':') {
                kind = OffsetColon;
                minutes = digitsOf(zone, 4, 2, ok);
            } else if (zone.size() == 5) {
                kind = OffsetCompact;
                minutes = digitsOf(zone, 3, 2, ok);
            } else {
                return false;
            }
            if (!ok || minutes > 59)
                return false;
            offset = std::int64_t(hours * 60 + minutes) * (zone[0] == '-' ? -1 : 1);
            format |= unsigned(kind) << 2;
        }
    }
    thread_local std::string rendered;
    rendered.clear();
    renderTimestamp(rendered, format, seconds, fractionDigits, fraction, offset);
    if (rendered != token)
        return false; // e.g. Feb 30, "-00:00"
    parts = TimestampParts{seconds, format, fractionDigits, fraction, offset};
    return true;
}

} // namespace syncline::engine::state::payloadcodec::scalars
