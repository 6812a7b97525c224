#include "engine/mapping/jsonreader.h"

namespace syncline::engine::mapping::json {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Length of the JSON value token starting at `pos` (strings, nested containers, scalars).
size_t valueLength(std::string_view text, size_t pos)
{
    if (pos >= text.size())
        return 0;
    const size_t start = pos;
    int depth = 0;
    bool inString = false;
    for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (inString) {
            if (c == '\\')
                ++pos;
            else if (c == '"') {
                inString = false;
                if (depth == 0)
                    return pos + 1 - start;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return pos - start; // end of the enclosing container
            if (--depth == 0)
                return pos + 1 - start;
        } else if (depth == 0 && (c == ',' || isSpace(c))) {
            return pos - start;
        }
    }
    return depth == 0 && !inString ? pos - start : 0;
}

void skipSpace(std::string_view text, size_t &pos)
{
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;
}

void appendUtf8(std::string &out, unsigned codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3F)));
    }
}

bool hex4(std::string_view text, size_t pos, unsigned &value)
{
    if (pos + 4 > text.size())
        return false;
    value = 0;
    for (size_t i = pos; i < pos + 4; ++i) {
        const char c = text[i];
        value <<= 4;
        if (c >= '0' && c <= '9')
            value |= static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            value |= static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            value |= static_cast<unsigned>(c - 'A' + 10);
        else
            return false;
    }
    return true;
}

} // namespace

bool splitObject(std::string_view object, std::vector<Member> &members)
{
    members.clear();
    size_t pos = 0;
    skipSpace(object, pos);
    if (pos >= object.size() || object[pos] != '{')
        return false;
    ++pos;
    skipSpace(object, pos);
    if (pos < object.size() && object[pos] == '}')
        return true;
    while (pos < object.size()) {
        skipSpace(object, pos);
        if (pos >= object.size() || object[pos] != '"')
            return false;
        const size_t keyLength = valueLength(object, pos);
        if (keyLength == 0)
            return false;
        const std::string_view key = object.substr(pos, keyLength);
        pos += keyLength;
        skipSpace(object, pos);
        if (pos >= object.size() || object[pos] != ':')
            return false;
        ++pos;
        skipSpace(object, pos);
        const size_t length = valueLength(object, pos);
        if (length == 0)
            return false;
        members.push_back({ key, object.substr(pos, length) });
        pos += length;
        skipSpace(object, pos);
        if (pos < object.size() && object[pos] == ',') {
            ++pos;
            continue;
        }
        return pos < object.size() && object[pos] == '}';
    }
    return false;
}

bool decodeString(std::string_view token, std::string &out)
{
    out.clear();
    if (token.size() < 2 || token.front() != '"' || token.back() != '"')
        return false;
    const std::string_view body = token.substr(1, token.size() - 2);
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (++i >= body.size())
            return false;
        switch (body[i]) {
        case '"':
            out.push_back('"');
            break;
        case '\\':
            out.push_back('\\');
            break;
        case '/':
            out.push_back('/');
            break;
        case 'b':
            out.push_back('\b');
            break;
        case 'f':
            out.push_back('\f');
            break;
        case 'n':
            out.push_back('\n');
            break;
        case 'r':
            out.push_back('\r');
            break;
        case 't':
            out.push_back('\t');
            break;
        case 'u': {
            unsigned codePoint = 0;
            if (!hex4(body, i + 1, codePoint))
                return false;
            i += 4;
            if (codePoint >= 0xD800 && codePoint <= 0xDBFF && i + 6 < body.size() && body[i + 1] == '\\'
                && body[i + 2] == 'u') {
                unsigned low = 0;
                if (hex4(body, i + 3, low) && low >= 0xDC00 && low <= 0xDFFF) {
                    codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
            }
            appendUtf8(out, codePoint);
            break;
        }
        default:
            return false;
        }
    }
    return true;
}

bool valueText(std::string_view token, std::string &out)
{
    out.clear();
    if (token.empty())
        return false;
    if (token.front() == '"')
        return decodeString(token, out);
    if (token == "null")
        return true;
    out.assign(token);
    return true;
}

} // namespace syncline::engine::mapping::json
