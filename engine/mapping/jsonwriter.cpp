#include "engine/mapping/jsonwriter.h"

#include <charconv>
#include <cmath>

namespace syncline::engine::mapping::json {

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

// true for the bytes a JSON string may not hold unescaped
constexpr bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
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

void appendEscaped(std::string &out, std::string_view utf8)
{
    size_t runStart = 0;
    for (size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (!needsEscape(c))
            continue;
        out.append(utf8.data() + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            const char escaped[6] = {'\\', 'u', '0', '0', hexDigits[c >> 4], hexDigits[c & 0xF]};
            out.append(escaped, 6);
        }
        }
    }
    out.append(utf8.data() + runStart, utf8.size() - runStart);
}

void appendString(std::string &out, std::string_view utf8)
{
    out.push_back('"');
    appendEscaped(out, utf8);
    out.push_back('"');
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
