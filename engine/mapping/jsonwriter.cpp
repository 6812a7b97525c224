#include "engine/mapping/jsonwriter.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace syncline::engine::mapping::json {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

// The bytes a JSON string may not hold unescaped, as a table (the hot path checks every byte).
constexpr std::array<bool, 256> escapeTable = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[static_cast<size_t>(c)] = true;
    table['"'] = true;
    table['\\'] = true;
    return table;
}();

inline bool needsEscape(unsigned char c)
{
    return escapeTable[c];
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

// The parts of a decimal number written as text: sign, integer digits, fraction digits, exponent.
struct NumberParts
{
    bool negative = false;
    std::string_view integerDigits;
    std::string_view fractionDigits;
    bool hasPoint = false;
    std::string_view exponent; // digits with optional sign, without the 'e'
};

bool splitNumber(std::string_view text, NumberParts &parts)
{
    text = trimmed(text);
    size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        parts.negative = text[i] == '-';
        ++i;
    }
    const size_t intStart = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    parts.integerDigits = text.substr(intStart, i - intStart);
    if (i < text.size() && text[i] == '.') {
        parts.hasPoint = true;
        ++i;
        const size_t fracStart = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        parts.fractionDigits = text.substr(fracStart, i - fracStart);
    }
    if (parts.integerDigits.empty() && parts.fractionDigits.empty())
        return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const size_t expStart = i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        const size_t digitsStart = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        if (i == digitsStart)
            return false;
        parts.exponent = text.substr(expStart, i - expStart);
    }
    return i == text.size();
}

std::string_view withoutLeadingZeros(std::string_view digits)
{
    while (digits.size() > 1 && digits.front() == '0')
        digits.remove_prefix(1);
    return digits.empty() ? std::string_view("0") : digits;
}

bool allZeros(std::string_view digits)
{
    for (char c : digits)
        if (c != '0')
            return false;
    return true;
}

} // namespace

namespace {

// Whether any of the 8 bytes in `word` needs escaping (< 0x20, '"' or '\\'), SWAR style.
inline bool wordNeedsEscape(std::uint64_t word)
{
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t below20 = (word - ones * 0x20) & ~word;
    const std::uint64_t quote = word ^ (ones * '"');
    const std::uint64_t backslash = word ^ (ones * '\\');
    const std::uint64_t isQuote = (quote - ones) & ~quote;
    const std::uint64_t isBackslash = (backslash - ones) & ~backslash;
    return ((below20 | isQuote | isBackslash) & highs) != 0;
}

} // namespace

namespace {

// Writes the escaped form of `utf8` at `dest` (room for 6 bytes per input byte); returns the end.
char *writeEscaped(char *dest, std::string_view utf8)
{
    const char *src = utf8.data();
    const size_t size = utf8.size();
    size_t i = 0;
    while (i < size) {
        // Copy 8 plain bytes at a time; most text has nothing to escape.
        if (i + 8 <= size) {
            std::uint64_t word;
            std::memcpy(&word, src + i, sizeof word);
            if (!wordNeedsEscape(word)) {
                std::memcpy(dest, &word, sizeof word);
                dest += 8;
                i += 8;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(src[i++]);
        if (!needsEscape(c)) {
            *dest++ = static_cast<char>(c);
            continue;
        }
        *dest++ = '\\';
        switch (c) {
        case '"': *dest++ = '"'; break;
        case '\\': *dest++ = '\\'; break;
        case '\n': *dest++ = 'n'; break;
        case '\r': *dest++ = 'r'; break;
        case '\t': *dest++ = 't'; break;
        case '\b': *dest++ = 'b'; break;
        case '\f': *dest++ = 'f'; break;
        default:
            *dest++ = 'u';
            *dest++ = '0';
            *dest++ = '0';
            *dest++ = hexDigits[c >> 4];
            *dest++ = hexDigits[c & 0xF];
        }
    }
    return dest;
}

} // namespace

void appendEscaped(std::string &out, std::string_view utf8)
{
    const size_t start = out.size();
    out.resize_and_overwrite(start + utf8.size() * 6, [&](char *data, size_t) {
        return static_cast<size_t>(writeEscaped(data + start, utf8) - data);
    });
}

void appendString(std::string &out, std::string_view utf8)
{
    const size_t start = out.size();
    out.resize_and_overwrite(start + utf8.size() * 6 + 2, [&](char *data, size_t) {
        char *end = data + start;
        *end++ = '"';
        end = writeEscaped(end, utf8);
        *end++ = '"';
        return static_cast<size_t>(end - data);
    });
}

void appendInteger(std::string &out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

bool appendDouble(std::string &out, double value)
{
    if (!std::isfinite(value))
        return false;
    if (value == 0.0) { // -0.0 and 0.0 are one JSON value
        out.push_back('0');
        return true;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
    return true;
}

void appendBase64(std::string &out, std::string_view bytes)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    const size_t size = bytes.size();
    size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const std::uint32_t triple = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        const char quad[4] = {alphabet[(triple >> 18) & 63], alphabet[(triple >> 12) & 63],
                              alphabet[(triple >> 6) & 63], alphabet[triple & 63]};
        out.append(quad, 4);
    }
    if (const size_t rest = size - i; rest > 0) {
        const std::uint32_t triple = (data[i] << 16) | (rest == 2 ? data[i + 1] << 8 : 0);
        const char quad[4] = {alphabet[(triple >> 18) & 63], alphabet[(triple >> 12) & 63],
                              rest == 2 ? alphabet[(triple >> 6) & 63] : '=', '='};
        out.append(quad, 4);
    }
}

bool appendNumberText(std::string &out, std::string_view text)
{
    NumberParts parts;
    if (!splitNumber(text, parts))
        return false;
    const std::string_view integerDigits = withoutLeadingZeros(parts.integerDigits);
    const bool zero = allZeros(integerDigits) && allZeros(parts.fractionDigits);
    if (parts.negative && !zero)
        out.push_back('-');
    out.append(integerDigits);
    if (!parts.fractionDigits.empty()) {
        out.push_back('.');
        out.append(parts.fractionDigits);
    }
    if (!parts.exponent.empty()) {
        out.push_back('e');
        out.append(parts.exponent);
    }
    return true;
}

bool appendIntegerText(std::string &out, std::string_view text)
{
    NumberParts parts;
    if (!splitNumber(text, parts) || !parts.exponent.empty() || !allZeros(parts.fractionDigits))
        return false;
    const std::string_view integerDigits = withoutLeadingZeros(parts.integerDigits);
    if (parts.negative && !allZeros(integerDigits))
        out.push_back('-');
    out.append(integerDigits);
    return true;
}

namespace {

// A small recursive-descent JSON reader that copies tokens compactly into `out`.
class CompactJson
{
public:
    CompactJson(std::string_view text, std::string &out) : m_text(text), m_out(out) {}

    bool run()
    {
        skipSpace();
        if (!value(0))
            return false;
        skipSpace();
        return m_pos == m_text.size();
    }

private:
    static constexpr int maxDepth = 256;

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_out.append(word);
        m_pos += word.size();
        return true;
    }

    bool string()
    {
        const size_t start = m_pos++;
        while (m_pos < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (c == '"') {
                ++m_pos;
                m_out.append(m_text.substr(start, m_pos - start));
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (++m_pos >= m_text.size())
                    return false;
                const char e = m_text[m_pos];
                if (e == 'u') {
                    for (int k = 1; k <= 4; ++k) {
                        if (m_pos + k >= m_text.size() || !std::isxdigit(static_cast<unsigned char>(m_text[m_pos + k])))
                            return false;
                    }
                    m_pos += 4;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            }
            ++m_pos;
        }
        return false;
    }

    bool number()
    {
        const size_t start = m_pos;
        if (m_text[m_pos] == '-')
            ++m_pos;
        if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
            return false;
        if (m_text[m_pos] == '0')
            ++m_pos;
        else
            while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
                ++m_pos;
        if (m_pos < m_text.size() && m_text[m_pos] == '.') {
            ++m_pos;
            if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
                return false;
            while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
                ++m_pos;
        }
        if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            ++m_pos;
            if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
                ++m_pos;
            if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
                return false;
            while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
                ++m_pos;
        }
        m_out.append(m_text.substr(start, m_pos - start));
        return true;
    }

    bool container(char open, char close, int depth)
    {
        m_out.push_back(open);
        ++m_pos;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == close) {
            ++m_pos;
            m_out.push_back(close);
            return true;
        }
        while (true) {
            skipSpace();
            if (open == '{') {
                if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !string())
                    return false;
                skipSpace();
                if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                    return false;
                ++m_pos;
                m_out.push_back(':');
                skipSpace();
            }
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (m_pos >= m_text.size())
                return false;
            if (m_text[m_pos] == ',') {
                ++m_pos;
                m_out.push_back(',');
                continue;
            }
            if (m_text[m_pos] != close)
                return false;
            ++m_pos;
            m_out.push_back(close);
            return true;
        }
    }

    bool value(int depth)
    {
        if (m_pos >= m_text.size() || depth > maxDepth)
            return false;
        switch (m_text[m_pos]) {
        case '{': return container('{', '}', depth);
        case '[': return container('[', ']', depth);
        case '"': return string();
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }

    std::string_view m_text;
    std::string &m_out;
    size_t m_pos = 0;
};

} // namespace

bool appendCanonicalJson(std::string &out, std::string_view text)
{
    const size_t mark = out.size();
    if (CompactJson(text, out).run())
        return true;
    out.resize(mark);
    return false;
}

} // namespace syncline::engine::mapping::json
