#pragma once
// One model row after mapping: its key and the exact payload a destination receives.
// The payload is canonical JSON (an object with the mapped fields in mapping order, no
// whitespace, numbers and strings as mapped), so equal payloads are equal bytes and the
// hash of those bytes (XXH3-128) is what change detection compares with the ledger.

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <string>

namespace syncline::engine::mapping {

using PayloadHash = std::array<std::uint8_t, 16>; // XXH3-128, canonical (big-endian) bytes

struct MappedRow
{
    // Canonical key text: the value's text for a one-column key ("42", "a@b.c"),
    // a compact JSON array for a composite key ("[42,\"eu\"]").
    std::string key;
    std::uint64_t keyHash = 0; // XXH3-64 of `key`
    std::string payload; // canonical JSON object
    PayloadHash payloadHash {}; // XXH3-128 of `payload`
    // The match field's raw JSON value inside `payload` (payload.substr(matchOffset, matchLength));
    // matchLength is 0 when the sync has no match field.
    std::uint32_t matchOffset = 0;
    std::uint32_t matchLength = 0;
};

} // namespace syncline::engine::mapping
