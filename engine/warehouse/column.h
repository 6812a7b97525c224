#pragma once
// What the engine knows about one result column, mapped from the driver's SQL type.

#include <QString>

namespace syncline::engine::warehouse {

// How a column's values are held in a RowBatch. Exact decimals, dates and timestamps are
// kept as canonical text so nothing is rounded or shifted on the way through.
enum class ColumnKind {
    Integer,     // 8/16/32/64-bit integers                -> RowBatch::integer()
    Real,        // float, double                          -> RowBatch::real()
    Decimal,     // numeric/decimal, exact, as text "-123.4500" -> RowBatch::text()
    Boolean,     // bit / boolean                          -> RowBatch::boolean()
    Date,        // "YYYY-MM-DD"                           -> RowBatch::text()
    Time,        // "HH:MM:SS[.ffffff]"                    -> RowBatch::text()
    Timestamp,   // "YYYY-MM-DDTHH:MM:SS[.ffffff]"         -> RowBatch::text()
    TimestampTz, // "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (UTC)  -> RowBatch::text()
    Text,        // UTF-8                                  -> RowBatch::text()
    Binary,      // raw bytes                              -> RowBatch::text()
};

QString columnKindName(ColumnKind kind); // "integer", "real", "decimal", ... for headers and errors

struct Column
{
    QString name;
    ColumnKind kind = ColumnKind::Text;
    QString typeName;     // the driver's name for the type, e.g. "int8", "numeric", "timestamptz"
    short sqlType = 0;    // the ODBC SQL_* data type
    qint64 size = 0;      // column size as reported by the driver
    short scale = 0;      // decimal digits
    bool nullable = true;
};

} // namespace syncline::engine::warehouse
