#pragma once
// How Syncline's payload values become Sheets cells and back: the sheet has no types, so a key
// is compared as text ("17" and 17 are the same key), and a null clears a cell ("").
// Free functions over values; thread-safe.

#include <QJsonValue>
#include <QString>

namespace syncline::connectors::googlesheets {

// Google refuses a cell of more than 50,000 characters.
constexpr int maxCellCharacters = 50'000;

// The text a key cell or a payload's match value compares by: 17 -> "17", 1.5 -> "1.5", true ->
// "TRUE" (as Sheets shows it), a string as it is, null or absent -> "".
QString keyText(const QJsonValue &value);
// The cell written for a payload value: text, numbers and booleans as they are, null -> ""
// (blanks the cell), objects and arrays as compact JSON text.
QJsonValue cellValue(const QJsonValue &value);
// Characters the cell holds once written (for the 50,000 limit).
qsizetype cellLength(const QJsonValue &cell);

} // namespace syncline::connectors::googlesheets
