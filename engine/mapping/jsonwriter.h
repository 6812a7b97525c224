#pragma once
// Appends canonical JSON fragments to a reused std::string (the mapper's hot path).
// No allocation beyond the buffer's own growth; output is compact and deterministic:
// equal values always give equal bytes. Thread: free functions, no shared state.

#include <cstdint>
#include <string>
#include <string_view>

namespace syncline::engine::mapping::json {

// A JSON string: quotes, backslash and control characters escaped (\n, \t, ... or \u00XX);
// every other byte (UTF-8 included) passes through unchanged.
void appendString(std::string &out, std::string_view utf8);
// The raw escaped text without the surrounding quotes.
void appendEscaped(std::string &out, std::string_view utf8);
void appendInteger(std::string &out, std::int64_t value);
// Shortest text that reads back to the same double. Returns false (and appends nothing)
// for NaN and infinities, which JSON cannot represent.
bool appendDouble(std::string &out, double value);
// Standard base64 (RFC 4648, with padding) of raw bytes, without quotes.
void appendBase64(std::string &out, std::string_view bytes);

// Normalises a number written as text ("+007.50", " 12 ", ".5", "1e3") to a JSON number
// ("7.50", "12", "0.5", "1e3"): sign, leading zeros and a bare leading/trailing point fixed,
// digits otherwise kept as written (exact). Returns false when `text` is not a number.
bool appendNumberText(std::string &out, std::string_view text);
// Like appendNumberText but the value must be whole: "12.000" -> "12", "1.5" -> false,
// "1e3" -> "1000" is NOT expanded (exponents are refused to keep the rule simple and exact).
bool appendIntegerText(std::string &out, std::string_view text);

// Re-emits a JSON text compactly (whitespace outside strings removed, everything else kept
// as written). Returns false when `text` is not a single valid JSON value.
bool appendCanonicalJson(std::string &out, std::string_view text);

} // namespace syncline::engine::mapping::json
