#pragma once
// The CSV of Bulk API 2.0 (RFC 4180, comma, LF): writing a group's records (a null, and an empty
// string, become #N/A, the Bulk API's way to set a field to null, since an empty cell leaves
// it unchanged; a nested object {"Account": {"Ext__c": "A1"}} becomes the column Account.Ext__c,
// a parent matched by its external id) and reading the result files back.
// Free functions over values; thread-safe.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace syncline::connectors::salesforce {

struct CsvTable
{
    QStringList header;
    QList<QStringList> rows;
    int column(const QString &name) const { return int(header.indexOf(name)); }
};

// The cells of one record for `header` (a column the record lacks is empty: left unchanged).
QStringList csvCells(const QJsonObject &fields, const QStringList &header);
// The columns of `records`' fields, in first-seen order, nested objects flattened to "A.B".
QStringList csvColumns(const QList<QJsonObject> &records);
QByteArray writeCsv(const QStringList &header, const QList<QStringList> &rows);
// One line of CSV: quoted when it holds a comma, a quote, a line break or edge spaces.
QByteArray csvLine(const QStringList &cells);
// Reads a whole CSV (LF or CRLF, quoted cells with "" and line breaks); nullopt with `error` set
// when it is not well formed.
std::optional<CsvTable> readCsv(const QByteArray &text, QString *error = nullptr);

} // namespace syncline::connectors::salesforce
