#pragma once
// The scalar pieces of the compact payload form (payloadcodec.h): varints, JSON token bounds,
// canonical integers and decimals, and ISO timestamps, each read only when it renders back to
// the same bytes. Internal to engine/state. Thread: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace syncline::engine::state::payloadcodec::scalars {

void putVarint(std::string &out, std::uint64_t v);
bool getVarint(std::string_view in, size_t &pos, std::uint64_t &v);
std::uint64_t zigzag(std::int64_t v);
std::int64_t unzigzag(std::uint64_t v);

// The end of the JSON string token at `pos` (a quote), or of the JSON value at `pos` inside an
// object or array (scalars end at the next delimiter), or npos.
size_t stringEnd(std::string_view s, size_t pos);
size_t valueEnd(std::string_view s, size_t pos);

// A canonical unsigned integer: digits, no leading zero, fits 64 bits.
bool parseUnsigned(std::string_view s, std::uint64_t &v);
void appendUnsigned(std::string &out, std::uint64_t v);
// A canonical decimal ("-12.50", at most 18 digits): its digits without the point, shifted
// left, with the sign in bit 0, and the number of digits after the point.
bool decimalParts(std::string_view text, std::uint64_t &packed, std::uint64_t &scale);
void renderDecimal(std::string &out, std::uint64_t packed, std::uint64_t scale);

// Timestamp format bits: bit 0 space (not T) between date and time, bit 1 date only, bits 2-4 the zone.
enum Zone : unsigned { NoZone = 0, Utc = 1, OffsetHours = 2, OffsetColon = 3, OffsetCompact = 4 };
// Seconds are stored from 2024-01-01T00:00:00Z: 4-byte varints from 2020 to 2028.
constexpr std::int64_t TimestampEpoch = 1704067200;

struct TimestampParts
{
    std::int64_t seconds = 0; // the written wall-clock time as seconds since 1970 (not shifted by the zone)
    unsigned format = 0;
    unsigned fractionDigits = 0;
    std::uint64_t fraction = 0;
    std::int64_t offsetMinutes = 0;
};
// "YYYY-MM-DD" or "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z|±HH|±HH:MM|±HHMM]" as a JSON string token.
bool parseTimestamp(std::string_view token, TimestampParts &parts);
void renderTimestamp(std::string &out, unsigned format, std::int64_t seconds, unsigned fractionDigits,
                     std::uint64_t fraction, std::int64_t offsetMinutes);
// The three most common formats get codes 0-2 (see payloadcodec.cpp's Timestamp tag).
std::uint64_t formatCode(unsigned format);
unsigned formatOf(std::uint64_t code);

} // namespace syncline::engine::state::payloadcodec::scalars
