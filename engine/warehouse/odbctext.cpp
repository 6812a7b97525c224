#include "engine/warehouse/odbctext.h"

namespace syncline::engine::warehouse {

std::vector<SQLWCHAR> toSqlWide(const QString &text)
{
    std::vector<SQLWCHAR> wide(size_t(text.size()) + 1, 0);
    const auto *units = text.utf16();
    for (qsizetype i = 0; i < text.size(); ++i)
        wide[size_t(i)] = SQLWCHAR(units[i]);
    return wide;
}

QString fromSqlWide(const SQLWCHAR *text, qsizetype length)
{
    if (!text)
        return {};
    if (length < 0) {
        length = 0;
        while (text[length])
            ++length;
    }
    return QString::fromUtf16(reinterpret_cast<const char16_t *>(text), length);
}

size_t utf16ToUtf8(const char16_t *in, size_t units, char *out)
{
    char *o = out;
    for (size_t i = 0; i < units; ++i) {
        char32_t c = in[i];
        if (c < 0x80) {
            *o++ = char(c);
            continue;
        }
        if (c < 0x800) {
            *o++ = char(0xC0 | (c >> 6));
            *o++ = char(0x80 | (c & 0x3F));
            continue;
        }
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (char32_t(in[i + 1]) - 0xDC00);
            ++i;
            *o++ = char(0xF0 | (c >> 18));
            *o++ = char(0x80 | ((c >> 12) & 0x3F));
            *o++ = char(0x80 | ((c >> 6) & 0x3F));
            *o++ = char(0x80 | (c & 0x3F));
            continue;
        }
        if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
        *o++ = char(0xE0 | (c >> 12));
        *o++ = char(0x80 | ((c >> 6) & 0x3F));
        *o++ = char(0x80 | (c & 0x3F));
    }
    return size_t(o - out);
}

namespace {
inline char *digits(char *out, unsigned value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
    return out + width;
}
} // namespace

size_t formatDate(const SQL_DATE_STRUCT &date, char *out)
{
    char *o = out;
    if (date.year < 0)
        *o++ = '-';
    o = digits(o, unsigned(date.year < 0 ? -date.year : date.year), 4);
    *o++ = '-';
    o = digits(o, date.month, 2);
    *o++ = '-';
    o = digits(o, date.day, 2);
    return size_t(o - out);
}

size_t formatTimestamp(const SQL_TIMESTAMP_STRUCT &ts, bool utc, char *out)
{
    const SQL_DATE_STRUCT date{ts.year, ts.month, ts.day};
    char *o = out + formatDate(date, out);
    *o++ = 'T';
    o = digits(o, ts.hour, 2);
    *o++ = ':';
    o = digits(o, ts.minute, 2);
    *o++ = ':';
    o = digits(o, ts.second, 2);
    if (ts.fraction >= 1000) { // nanoseconds; the canonical text keeps microseconds
        *o++ = '.';
        o = digits(o, unsigned(ts.fraction / 1000), 6);
    }
    if (utc)
        *o++ = 'Z';
    return size_t(o - out);
}

} // namespace syncline::engine::warehouse
