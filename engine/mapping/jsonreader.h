#pragma once
// Reads canonical JSON payloads back without reordering them: the top-level members of an
// object in written order, and string values decoded to UTF-8. For destinations that turn
// payloads into other formats (CSV) or edit them (clear fields). Thread: free functions.

#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::mapping::json {

struct Member
{
    std::string_view key; // raw JSON string token, with quotes and escapes as written
    std::string_view value; // raw JSON value token
};

// Splits `object` ("{...}") into its top-level members in order. False when not an object.
bool splitObject(std::string_view object, std::vector<Member> &members);
// Decodes a JSON string token ("\"a\\u00e9\"") to UTF-8. False when not a valid string.
bool decodeString(std::string_view token, std::string &out);
// A value as plain text: strings decoded, null empty, numbers/booleans/objects/arrays as written.
bool valueText(std::string_view token, std::string &out);

} // namespace syncline::engine::mapping::json
