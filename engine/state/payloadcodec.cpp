#include "engine/state/payloadcodec.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace syncline::engine::state::payloadcodec {

// Stored form: varint shape id, then one value per field of the shape, in its order. A value
// starts with a tag byte: kind in the low 3 bits, a small parameter in the high 5 (31: the
// parameter minus 31 follows as a varint). Every typed form is checked by rendering it back, so
// a value is typed only when its text comes back byte for byte; anything else is kept raw.
namespace {

enum Kind : unsigned char {
    Literal = 0,   // parameter: 0 null, 1 true, 2 false
    String = 1,    // parameter: length of the bytes between the quotes (escapes as written)
    Raw = 2,       // parameter: length of the JSON text (objects, arrays, other numbers)
    Unsigned = 3,  // parameter: the integer
    Negative = 4,  // parameter: -value - 1
    Decimal = 5,   // parameter: digits after the point; varint: (digits without the point << 1) | negative
    Timestamp = 6, // parameter: fraction digits + 10 * format code; zigzag seconds; fraction; offset minutes
    Extended = 7,  // parameter: (x << 2) | form, see ExtendedForm
};

// Strings a trained field knows, and strings that hold a number.
enum ExtendedForm : unsigned {
    DictionaryValue = 0, // x: the value's index in the field's dictionary
    Affixed = 1,         // x: length of the middle; a byte: prefix index + 1 | (suffix index + 1) << 4; the middle
    QuotedUnsigned = 2,  // x: the integer, written as a string ("123")
    QuotedDecimal = 3,   // x: digits after the point; varint as for Decimal, written as a string ("12.50")
};

constexpr unsigned Inline = 31;

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

void putTag(std::string &out, Kind kind, std::uint64_t param)
{
    if (param < Inline) {
        out.push_back(char(kind | (param << 3)));
        return;
    }
    out.push_back(char(kind | (Inline << 3)));
    putVarint(out, param - Inline);
}

bool getTag(std::string_view in, size_t &pos, unsigned &kind, std::uint64_t &param)
{
    if (pos >= in.size())
        return false;
    const auto byte = static_cast<unsigned char>(in[pos++]);
    kind = byte & 7;
    param = byte >> 3;
    if (param < Inline)
        return true;
    std::uint64_t more = 0;
    if (!getVarint(in, pos, more) || more > UINT64_MAX - Inline)
        return false;
    param += more;
    return true;
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

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
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

// Format byte of a timestamp: bit 0 space (not T) between date and time, bit 1 date only,
// bits 2-4 the zone suffix.
enum Zone : unsigned { NoZone = 0, Utc = 1, OffsetHours = 2, OffsetColon = 3, OffsetCompact = 4 };

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

// Seconds are stored from 2024-01-01T00:00:00Z: 4-byte varints from 2020 to 2028.
constexpr std::int64_t TimestampEpoch = 1704067200;

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

// "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|±HH|±HH:MM|±HHMM]" as a JSON string token.
bool encodeTimestamp(std::string_view token, std::string &out)
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
    std::string rendered;
    renderTimestamp(rendered, format, seconds, fractionDigits, fraction, offset);
    if (rendered != token)
        return false; // e.g. Feb 30, "-00:00", a year below 1000
    putTag(out, Timestamp, fractionDigits + 10 * formatCode(format));
    putVarint(out, zigzag(seconds - TimestampEpoch));
    if (fractionDigits > 0)
        putVarint(out, fraction);
    if (((format >> 2) & 7) >= OffsetHours)
        putVarint(out, zigzag(offset));
    return true;
}

// A string's bytes as a trained field's dictionary value, or with a known prefix and suffix.
bool encodeKnownString(std::string_view body, const FieldDictionary &dictionary, std::string &out)
{
    if (auto found = dictionary.index.find(body); found != dictionary.index.end()) {
        putTag(out, Extended, (std::uint64_t(found->second) << 2) | DictionaryValue);
        return true;
    }
    size_t prefix = 0, prefixLength = 0, suffix = 0, suffixLength = 0;
    for (size_t i = 0; i < dictionary.prefixes.size(); ++i) {
        const std::string &p = dictionary.prefixes[i];
        if (p.size() > prefixLength && body.starts_with(p)) {
            prefix = i + 1;
            prefixLength = p.size();
        }
    }
    for (size_t i = 0; i < dictionary.suffixes.size(); ++i) {
        const std::string &x = dictionary.suffixes[i];
        if (x.size() > suffixLength && x.size() + prefixLength <= body.size() && body.ends_with(x)) {
            suffix = i + 1;
            suffixLength = x.size();
        }
    }
    if (prefixLength + suffixLength < 2)
        return false;
    const std::string_view middle = body.substr(prefixLength, body.size() - prefixLength - suffixLength);
    putTag(out, Extended, (std::uint64_t(middle.size()) << 2) | Affixed);
    out.push_back(char(prefix | (suffix << 4)));
    out.append(middle);
    return true;
}

void encodeValue(std::string_view v, const FieldDictionary *dictionary, std::string &out)
{
    std::uint64_t n = 0, scale = 0;
    if (v == "null") {
        putTag(out, Literal, 0);
    } else if (v == "true") {
        putTag(out, Literal, 1);
    } else if (v == "false") {
        putTag(out, Literal, 2);
    } else if (v[0] == '"') {
        const std::string_view body = v.substr(1, v.size() - 2);
        if (encodeTimestamp(v, out))
            return;
        if (parseUnsigned(body, n) && n < (std::uint64_t(1) << 61)) {
            putTag(out, Extended, (n << 2) | QuotedUnsigned);
            return;
        }
        if (decimalParts(body, n, scale)) {
            putTag(out, Extended, (scale << 2) | QuotedDecimal);
            putVarint(out, n);
            return;
        }
        if (dictionary && encodeKnownString(body, *dictionary, out))
            return;
        putTag(out, String, body.size());
        out.append(body);
    } else {
        if (v[0] == '-' ? parseUnsigned(v.substr(1), n) && n > 0 : parseUnsigned(v, n)) {
            putTag(out, v[0] == '-' ? Negative : Unsigned, v[0] == '-' ? n - 1 : n);
            return;
        }
        if (decimalParts(v, n, scale)) {
            putTag(out, Decimal, scale);
            putVarint(out, n);
            return;
        }
        putTag(out, Raw, v.size());
        out.append(v);
    }
}

bool decodeExtended(std::string_view in, size_t &pos, std::uint64_t param, const FieldDictionary *dictionary,
                    std::string &json)
{
    const std::uint64_t x = param >> 2;
    switch (param & 3) {
    case DictionaryValue:
        if (!dictionary || x >= dictionary->values.size())
            return false;
        json.push_back('"');
        json += dictionary->values[x];
        json.push_back('"');
        return true;
    case Affixed: {
        if (!dictionary || pos >= in.size())
            return false;
        const auto affixes = static_cast<unsigned char>(in[pos++]);
        const unsigned prefix = affixes & 15, suffix = affixes >> 4;
        if (prefix > dictionary->prefixes.size() || suffix > dictionary->suffixes.size() || x > in.size() - pos)
            return false;
        json.push_back('"');
        if (prefix)
            json += dictionary->prefixes[prefix - 1];
        json.append(in.data() + pos, x);
        pos += x;
        if (suffix)
            json += dictionary->suffixes[suffix - 1];
        json.push_back('"');
        return true;
    }
    case QuotedUnsigned:
        json.push_back('"');
        appendUnsigned(json, x);
        json.push_back('"');
        return true;
    default: {
        std::uint64_t packed;
        if (x < 1 || x >= 64 || !getVarint(in, pos, packed))
            return false;
        json.push_back('"');
        renderDecimal(json, packed, x);
        json.push_back('"');
        return true;
    }
    }
}

bool decodeValue(std::string_view in, size_t &pos, const FieldDictionary *dictionary, std::string &json)
{
    unsigned kind;
    std::uint64_t param;
    if (!getTag(in, pos, kind, param))
        return false;
    switch (kind) {
    case Literal:
        if (param > 2)
            return false;
        json += param == 0 ? "null" : param == 1 ? "true" : "false";
        return true;
    case String:
    case Raw:
        if (param > in.size() - pos)
            return false;
        if (kind == String)
            json.push_back('"');
        json.append(in.data() + pos, param);
        if (kind == String)
            json.push_back('"');
        pos += param;
        return true;
    case Unsigned:
        appendUnsigned(json, param);
        return true;
    case Negative:
        if (param == UINT64_MAX)
            return false;
        json.push_back('-');
        appendUnsigned(json, param + 1);
        return true;
    case Decimal: {
        std::uint64_t packed;
        if (param < 1 || param >= 64 || !getVarint(in, pos, packed))
            return false;
        renderDecimal(json, packed, param);
        return true;
    }
    case Timestamp: {
        const unsigned digits = unsigned(param % 10), format = formatOf(param / 10);
        if (param / 10 > 22 || ((format >> 2) & 7) > OffsetCompact)
            return false;
        std::uint64_t seconds, fraction = 0, offset = 0;
        if (!getVarint(in, pos, seconds) || (digits > 0 && !getVarint(in, pos, fraction))
            || (((format >> 2) & 7) >= OffsetHours && !getVarint(in, pos, offset)))
            return false;
        renderTimestamp(json, format, unzigzag(seconds) + TimestampEpoch, digits, fraction, unzigzag(offset));
        return true;
    }
    default:
        return decodeExtended(in, pos, param, dictionary, json);
    }
}

Shape shapeFrom(const std::vector<std::string_view> &keys)
{
    Shape shape;
    shape.fields.push_back('[');
    for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0)
            shape.fields.push_back(',');
        shape.fields.append(keys[i]);
        std::string piece(i == 0 ? "{" : ",");
        piece.append(keys[i]);
        piece.push_back(':');
        shape.pieces.push_back(std::move(piece));
    }
    shape.fields.push_back(']');
    return shape;
}

} // namespace

std::optional<Shape> shapeOf(std::string_view json)
{
    if (json.size() < 2 || json.front() != '{' || json.back() != '}')
        return std::nullopt;
    std::vector<std::string_view> keys;
    if (json.size() == 2)
        return shapeFrom(keys);
    size_t pos = 1;
    for (;;) {
        if (pos >= json.size() || json[pos] != '"')
            return std::nullopt;
        const size_t keyEnd = stringEnd(json, pos);
        if (keyEnd == std::string_view::npos || keyEnd >= json.size() || json[keyEnd] != ':')
            return std::nullopt;
        keys.push_back(json.substr(pos, keyEnd - pos));
        const size_t end = valueEnd(json, keyEnd + 1);
        if (end == std::string_view::npos || end >= json.size())
            return std::nullopt;
        if (json[end] == '}')
            return end + 1 == json.size() ? std::optional<Shape>(shapeFrom(keys)) : std::nullopt;
        if (json[end] != ',')
            return std::nullopt;
        pos = end + 1;
    }
}

std::optional<Shape> parseShape(std::string_view fields, std::string_view dictionary)
{
    if (fields.size() < 2 || fields.front() != '[' || fields.back() != ']')
        return std::nullopt;
    std::vector<std::string_view> keys;
    size_t pos = 1;
    while (pos < fields.size() - 1) {
        if (fields[pos] != '"')
            return std::nullopt;
        const size_t end = stringEnd(fields, pos);
        if (end == std::string_view::npos || end >= fields.size())
            return std::nullopt;
        keys.push_back(fields.substr(pos, end - pos));
        pos = end;
        if (fields[pos] == ',' && pos + 1 < fields.size() - 1)
            ++pos;
        else if (pos != fields.size() - 1)
            return std::nullopt;
    }
    Shape shape = shapeFrom(keys);
    if (dictionary.empty())
        return shape;
    // Per field: three lists (values, prefixes, suffixes), each a varint count and then
    // each entry as a varint length and its bytes.
    shape.dictionary = std::string(dictionary);
    shape.dictionaries.resize(keys.size());
    pos = 0;
    for (FieldDictionary &field : shape.dictionaries) {
        for (auto *list : {&field.values, &field.prefixes, &field.suffixes}) {
            std::uint64_t count = 0;
            if (!getVarint(dictionary, pos, count) || count > dictionary.size())
                return std::nullopt;
            for (std::uint64_t i = 0; i < count; ++i) {
                std::uint64_t length = 0;
                if (!getVarint(dictionary, pos, length) || length > dictionary.size() - pos)
                    return std::nullopt;
                list->emplace_back(dictionary.substr(pos, length));
                pos += length;
            }
        }
        if (field.prefixes.size() > 15 || field.suffixes.size() > 15)
            return std::nullopt;
        for (unsigned i = 0; i < field.values.size(); ++i)
            field.index.emplace(field.values[i], i);
    }
    if (pos != dictionary.size())
        return std::nullopt;
    return shape;
}

bool encode(std::string_view json, const Shape &shape, std::int64_t shapeId, std::string &out)
{
    const size_t start = out.size();
    putVarint(out, std::uint64_t(shapeId));
    if (shape.pieces.empty()) {
        if (json == "{}")
            return true;
        out.resize(start);
        return false;
    }
    size_t pos = 0, field = 0;
    for (const std::string &piece : shape.pieces) {
        size_t end;
        if (json.size() - pos < piece.size() || std::memcmp(json.data() + pos, piece.data(), piece.size()) != 0
            || (end = valueEnd(json, pos + piece.size())) == std::string_view::npos) {
            out.resize(start);
            return false;
        }
        const FieldDictionary *dictionary = shape.dictionaries.empty() ? nullptr : &shape.dictionaries[field];
        encodeValue(json.substr(pos + piece.size(), end - pos - piece.size()), dictionary, out);
        ++field;
        pos = end;
    }
    if (pos + 1 != json.size() || json[pos] != '}') {
        out.resize(start);
        return false;
    }
    return true;
}

std::optional<std::int64_t> shapeIdOf(std::string_view blob)
{
    size_t pos = 0;
    std::uint64_t id;
    if (!getVarint(blob, pos, id))
        return std::nullopt;
    return std::int64_t(id);
}

bool decode(std::string_view blob, const Shape &shape, std::string &json)
{
    const size_t start = json.size();
    size_t pos = 0;
    std::uint64_t id;
    if (!getVarint(blob, pos, id))
        return false;
    if (shape.pieces.empty())
        json += "{";
    for (size_t field = 0; field < shape.pieces.size(); ++field) {
        json += shape.pieces[field];
        const FieldDictionary *dictionary = shape.dictionaries.empty() ? nullptr : &shape.dictionaries[field];
        if (!decodeValue(blob, pos, dictionary, json)) {
            json.resize(start);
            return false;
        }
    }
    json.push_back('}');
    if (pos != blob.size()) {
        json.resize(start);
        return false;
    }
    return true;
}

namespace {

// Greedy set cover: up to 15 affixes (prefixes, or suffixes when `ends`) of 2..24 bytes, each
// the one that saves the most bytes over the strings no earlier pick covers, while it still
// covers at least `minCount` of them.
std::vector<std::string> pickAffixes(std::vector<std::string_view> open, bool ends, size_t minCount)
{
    std::vector<std::string> picked;
    while (picked.size() < 15 && open.size() >= minCount) {
        std::unordered_map<std::string_view, size_t> counts;
        for (std::string_view s : open)
            for (size_t n = 2; n <= std::min<size_t>(s.size(), 24); ++n)
                ++counts[ends ? s.substr(s.size() - n) : s.substr(0, n)];
        std::string_view best;
        size_t bestScore = 0;
        for (const auto &[affix, count] : counts) {
            const size_t score = count * (affix.size() - 1);
            if (count >= minCount && (score > bestScore || (score == bestScore && affix < best))) {
                best = affix;
                bestScore = score;
            }
        }
        if (bestScore == 0)
            break;
        picked.emplace_back(best);
        const std::string &chosen = picked.back();
        std::erase_if(open, [&](std::string_view s) { return ends ? s.ends_with(chosen) : s.starts_with(chosen); });
    }
    return picked;
}

void putList(std::string &out, const std::vector<std::string> &list)
{
    putVarint(out, list.size());
    for (const std::string &entry : list) {
        putVarint(out, entry.size());
        out += entry;
    }
}

} // namespace

std::string train(const Shape &shape, const std::vector<std::string> &samples)
{
    const size_t fields = shape.pieces.size();
    std::vector<std::vector<std::string_view>> bodies(fields); // plain string values per field
    size_t used = 0;
    for (const std::string &json : samples) {
        size_t pos = 0;
        std::vector<std::string_view> values;
        bool matches = true;
        for (const std::string &piece : shape.pieces) {
            size_t end;
            if (json.size() - pos < piece.size() || json.compare(pos, piece.size(), piece) != 0
                || (end = valueEnd(json, pos + piece.size())) == std::string_view::npos) {
                matches = false;
                break;
            }
            values.push_back(std::string_view(json).substr(pos + piece.size(), end - pos - piece.size()));
            pos = end;
        }
        if (!matches || pos + 1 != json.size())
            continue;
        ++used;
        std::string scratch;
        for (size_t i = 0; i < fields; ++i) {
            const std::string_view v = values[i];
            scratch.clear();
            // Only strings that stay strings: not timestamps or numbers (those are short already).
            if (v[0] == '"' && !encodeTimestamp(v, scratch)) {
                std::uint64_t n, scale;
                const std::string_view body = v.substr(1, v.size() - 2);
                if (!parseUnsigned(body, n) && !decimalParts(body, n, scale))
                    bodies[i].push_back(body);
            }
        }
    }
    std::string dictionary;
    const size_t minCount = std::max<size_t>(3, used / 100);
    for (size_t i = 0; i < fields; ++i) {
        std::vector<std::string> values;
        std::vector<std::string_view> open;
        if (bodies[i].size() >= minCount) {
            std::unordered_map<std::string_view, size_t> counts;
            for (std::string_view body : bodies[i])
                ++counts[body];
            std::vector<std::pair<size_t, std::string_view>> frequent;
            for (const auto &[value, count] : counts)
                if (count >= minCount && value.size() >= 2)
                    frequent.emplace_back(count, value);
            std::sort(frequent.begin(), frequent.end(), [](const auto &a, const auto &b) {
                return a.first != b.first ? a.first > b.first : a.second < b.second;
            });
            if (frequent.size() > 64)
                frequent.resize(64);
            for (const auto &entry : frequent)
                values.emplace_back(entry.second);
            for (std::string_view body : bodies[i])
                if (std::find(values.begin(), values.end(), body) == values.end())
                    open.push_back(body);
        }
        putList(dictionary, values);
        putList(dictionary, pickAffixes(open, false, std::max<size_t>(3, used / 50)));
        putList(dictionary, pickAffixes(open, true, std::max<size_t>(3, used / 50)));
    }
    return dictionary;
}

} // namespace syncline::engine::state::payloadcodec
