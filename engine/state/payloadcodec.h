#pragma once
// The compact stored form of a canonical JSON payload (a flat-text object such as
// {"email":"a@x","seats":3}): its field names once per "shape", its values in a short binary
// form (numbers, timestamps and numeric strings as binary; with a trained shape, frequent
// string values and common prefixes and suffixes as small indexes), so the workspace keeps a
// fifth to a third of the bytes. Decoding gives the exact bytes back,
// so the payload hash, previews and resends see the same text. Anything the codec cannot
// reproduce byte for byte (whitespace, a non-object) is refused and stored as plain text.
// Thread: pure functions and value types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace syncline::engine::state::payloadcodec {

// What a trained shape knows about one field's string values (the bytes between the quotes).
struct FieldDictionary
{
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::vector<std::string> values;   // frequent whole values, stored as their index
    std::vector<std::string> prefixes; // common starts (at most 15)
    std::vector<std::string> suffixes; // common ends (at most 15)
    std::unordered_map<std::string, unsigned, Hash, std::equal_to<>> index; // value -> its index
};

// The ordered field names of an object payload, as raw JSON string tokens, and when trained,
// a dictionary per field.
struct Shape
{
    std::string fields; // stored form: a JSON array of the key tokens, e.g. ["email","seats"]
    // The text before each value when decoding: `{"email":`, `,"seats":`.
    std::vector<std::string> pieces;
    std::string dictionary;                // stored form of `dictionaries`; empty: untrained
    std::vector<FieldDictionary> dictionaries; // one per field, or none
};

// The shape of `json`; nullopt when it is not a compact object (see above).
std::optional<Shape> shapeOf(std::string_view json);
// A shape from its stored `fields` and `dictionary` (empty: untrained); nullopt when damaged.
std::optional<Shape> parseShape(std::string_view fields, std::string_view dictionary = {});
// The stored dictionary of `shape` trained on `samples` (payloads of that shape; others are
// ignored): per field, values seen in at least 1% of them, and common prefixes and suffixes.
std::string train(const Shape &shape, const std::vector<std::string> &samples);

// Appends `shapeId` and the values of `json` to `out`. False (and `out` as it was) when `json`
// does not have exactly this shape's fields in this order, or is not in canonical form.
bool encode(std::string_view json, const Shape &shape, std::int64_t shapeId, std::string &out);
// The shape id an encoded payload starts with; nullopt when `blob` is malformed.
std::optional<std::int64_t> shapeIdOf(std::string_view blob);
// Appends the JSON text of `blob` (encoded with `shape`) to `json`; false when malformed.
bool decode(std::string_view blob, const Shape &shape, std::string &json);

} // namespace syncline::engine::state::payloadcodec
