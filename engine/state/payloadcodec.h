#pragma once
// The compact stored form of a canonical JSON payload (a flat-text object such as
// {"email":"a@x","seats":3}): its field names once per "shape", its values in a short binary
// form, so the workspace keeps about a third of the bytes. Decoding gives the exact bytes back,
// so the payload hash, previews and resends see the same text. Anything the codec cannot
// reproduce byte for byte (whitespace, a non-object) is refused and stored as plain text.
// Thread: pure functions and value types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::state::payloadcodec {

// The ordered field names of an object payload, as raw JSON string tokens.
struct Shape
{
    std::string fields; // stored form: a JSON array of the key tokens, e.g. ["email","seats"]
    // The text before each value when decoding: `{"email":`, `,"seats":`.
    std::vector<std::string> pieces;
};

// The shape of `json`; nullopt when it is not a compact object (see above).
std::optional<Shape> shapeOf(std::string_view json);
// A shape from its stored `fields`; nullopt when they are not a JSON array of strings.
std::optional<Shape> parseShape(std::string_view fields);

// Appends `shapeId` and the values of `json` to `out`. False (and `out` as it was) when `json`
// does not have exactly this shape's fields in this order, or is not in canonical form.
bool encode(std::string_view json, const Shape &shape, std::int64_t shapeId, std::string &out);
// The shape id an encoded payload starts with; nullopt when `blob` is malformed.
std::optional<std::int64_t> shapeIdOf(std::string_view blob);
// Appends the JSON text of `blob` (encoded with `shape`) to `json`; false when malformed.
bool decode(std::string_view blob, const Shape &shape, std::string &json);

} // namespace syncline::engine::state::payloadcodec
