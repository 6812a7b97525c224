#pragma once
// Text helpers at the ODBC boundary: QString <-> SQLWCHAR (UTF-16 under unixODBC), UTF-16 ->
// UTF-8 without allocating, and the canonical ISO text of dates and timestamps (column.h).

#include <QString>

#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

#include <cstddef>
#include <vector>

namespace syncline::engine::warehouse {

static_assert(sizeof(SQLWCHAR) == sizeof(char16_t), "unixODBC's SQLWCHAR is expected to be UTF-16");

// A NUL-terminated SQLWCHAR copy of `text` for the W functions of the ODBC API.
std::vector<SQLWCHAR> toSqlWide(const QString &text);
// `length` code units, or up to the first NUL when length < 0.
QString fromSqlWide(const SQLWCHAR *text, qsizetype length = -1);

// Encodes `units` UTF-16 code units at `in` as UTF-8 into `out`, which must have room for
// 3 * units bytes. Unpaired surrogates become U+FFFD. Returns the bytes written.
size_t utf16ToUtf8(const char16_t *in, size_t units, char *out);

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.ffffff]" (+ "Z" when utc); the fraction only when non-zero.
// `out` needs 32 bytes. Returns the bytes written.
size_t formatDate(const SQL_DATE_STRUCT &date, char *out);
size_t formatTimestamp(const SQL_TIMESTAMP_STRUCT &timestamp, bool utc, char *out);

} // namespace syncline::engine::warehouse
