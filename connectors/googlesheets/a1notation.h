#pragma once
// A1 notation for the Sheets API: column letters, quoted tab titles and row ranges, and the first
// and last row of a range Google answers with. Free functions over values; thread-safe.

#include <QString>

#include <optional>
#include <utility>

namespace syncline::connectors::googlesheets {

QString columnLetters(int column); // 0 -> "A", 25 -> "Z", 26 -> "AA"
QString quotedTitle(const QString &title); // My 'tab' -> 'My ''tab'''
// 'Tab'!B5:F5 (columns 0-based, rows 1-based); lastRow 0 leaves the range open downwards ('Tab'!C2:C).
QString cellRange(const QString &title, int firstColumn, int firstRow, int lastColumn, int lastRow);
// The first and last row of "'Tab'!A5:F7" (or "Tab!A5"); nullopt when there are none.
std::optional<std::pair<int, int>> rowsOfRange(const QString &range);

} // namespace syncline::connectors::googlesheets
