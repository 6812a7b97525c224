#include "engine/state/payloadcodec.h"

#include "engine/state/payloadscalars.h"

#include <cstring>

namespace syncline::engine::state::payloadcodec {

// Stored form: varint shape id, then one value per field of the shape, in its order. A value
// starts with a tag byte: kind in the low 3 bits, a small parameter in the high 5 (31: the
// parameter minus 31 follows as a varint). Every typed form is checked by rendering it back, so
// a value is typed only when its text comes back byte for byte; anything else is kept raw.
using namespace scalars;

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

// A timestamp token: the tag (fraction digits + 10 * format code), zigzag seconds from
// TimestampEpoch, the fraction, the zone's offset in minutes.
bool encodeTimestamp(std::string_view token, std::string &out)
{
    TimestampParts t;
    if (!parseTimestamp(token, t))
        return false;
    putTag(out, Timestamp, t.fractionDigits + 10 * formatCode(t.format));
    putVarint(out, zigzag(t.seconds - TimestampEpoch));
    if (t.fractionDigits > 0)
        putVarint(out, t.fraction);
    if (((t.format >> 2) & 7) >= OffsetHours)
        putVarint(out, zigzag(t.offsetMinutes));
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
            || (((format >> 2) & 7) >= OffsetHours && !getVarint(in, pos, offset))
            || seconds > (std::uint64_t(1) << 40) || offset > (1u << 16))
            return false; // beyond year 9999 or a day's offset: damaged
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

} // namespace syncline::engine::state::payloadcodec
