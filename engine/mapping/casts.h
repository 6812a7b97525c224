#pragma once
// The casts a mapping entry may name ("text", "number", "integer", "boolean",
// "date[:FORMAT]", "timestamp[:FORMAT]", "json") and the text conversions behind them.
// Conversions append canonical JSON to a reused buffer and report failure by returning
// false with a short reason ("is not a date"); they never throw. Thread: stateless.

#include "engine/warehouse/column.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace syncline::engine::mapping {

struct Cast
{
    enum class Kind { None, Text, Number, Integer, Boolean, Date, Timestamp, Json };
    Kind kind = Kind::None;
    // Qt date/time format for Date and Timestamp ("dd.MM.yyyy"); empty = ISO 8601.
    QString format;

    // "text", "date:dd.MM.yyyy", ... ; nullopt for an unknown cast name.
    static std::optional<Cast> parse(const QString &text);
    static QString knownCasts(); // "text, number, integer, boolean, date[:FORMAT], timestamp[:FORMAT], json"
    QString name() const;
};

// Whether a column of `kind` can be cast with `cast`; when not, `why` says so in a few words.
bool castFits(warehouse::ColumnKind kind, const Cast &cast, QString *why = nullptr);

// A calendar date and optional wall-clock time parsed from ISO 8601 text
// ("2024-03-01", "2024-03-01T10:15:00.123456", "2024-03-01 10:15:00+02:00", "...Z").
struct IsoDateTime
{
    int year = 0, month = 0, day = 0;
    bool hasTime = false;
    int hour = 0, minute = 0, second = 0;
    std::string_view fraction; // digits after the point, as written
    bool hasOffset = false;
    int offsetSeconds = 0; // east of UTC
};
bool parseIsoDateTime(std::string_view text, IsoDateTime &out);

// Text -> JSON under a cast. `text` is UTF-8. Returns false with `why` filled on failure.
// Text/None: JSON string. Number: JSON number. Integer: whole JSON number. Boolean: true/false
// from true/false/1/0/yes/no/t/f/y/n (any case). Date/Timestamp: ISO text (or text in the
// cast's format) re-emitted in the cast's format (ISO by default; an offset is converted to UTC
// and written as Z). Json: the text parsed as JSON and written compactly.
bool appendTextAs(std::string &out, std::string_view text, const Cast &cast, const char *&why);
// A date/time held as ISO text by the warehouse (Date, Timestamp, TimestampTz) re-emitted as a
// JSON string in the cast's format.
bool appendIsoAs(std::string &out, std::string_view isoText, const Cast &cast, const char *&why);

} // namespace syncline::engine::mapping
