#pragma once
// How the file destination writes records: CSV (RFC 4180: comma separated, CRLF line ends,
// fields with comma, quote, CR or LF quoted with doubled quotes, UTF-8 without BOM; a header of
// the payload fields in first-seen order) or JSON Lines (one JSON object per line).
// Snapshot rows: CSV = the fields; JSONL = {"key":K,"payload":{...}}.
// Change rows:   CSV = operation,key,fields...; JSONL = {"operation":OP,"key":K,"payload":{...}}.
// Appends to a reused buffer. Thread: stateless apart from the caller's buffers.

#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace syncline::connectors::file {

enum class Format { Csv, Jsonl };

QString formatExtension(Format format); // "csv", "jsonl"

// The decoded top-level field names of a payload object, in order; false when not an object.
bool payloadFieldNames(std::string_view payload, std::vector<std::string> &names);

class RecordFormat
{
public:
    RecordFormat(Format format, std::vector<std::string> fields, bool changes);

    void appendHeader(std::string &out) const; // nothing for JSONL
    void appendSnapshotRow(std::string &out, std::string_view key, std::string_view payload);
    void appendChangeRow(std::string &out, std::string_view operation, std::string_view key, std::string_view payload);

private:
    void appendCsvFields(std::string &out, std::string_view payload);

    Format m_format;
    std::vector<std::string> m_fields;
    bool m_changes;
    std::vector<std::string> m_values; // scratch
    std::string m_text; // scratch
};

void appendCsvField(std::string &out, std::string_view text);

} // namespace syncline::connectors::file
