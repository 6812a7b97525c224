#include "connectors/file/recordformat.h"

#include "engine/mapping/jsonreader.h"
#include "engine/mapping/jsonwriter.h"

namespace syncline::connectors::file {

namespace json = engine::mapping::json;

QString formatExtension(Format format)
{
    return format == Format::Csv ? QStringLiteral("csv") : QStringLiteral("jsonl");
}

bool payloadFieldNames(std::string_view payload, std::vector<std::string> &names)
{
    std::vector<json::Member> members;
    if (!json::splitObject(payload, members))
        return false;
    names.clear();
    for (const json::Member &member : members) {
        std::string name;
        if (!json::decodeString(member.key, name))
            return false;
        names.push_back(std::move(name));
    }
    return true;
}

void appendCsvField(std::string &out, std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

RecordFormat::RecordFormat(Format format, std::vector<std::string> fields, bool changes)
    : m_format(format)
    , m_fields(std::move(fields))
    , m_changes(changes)
{ }

void RecordFormat::appendHeader(std::string &out) const
{
    if (m_format != Format::Csv)
        return;
    bool first = true;
    auto column = [&](std::string_view name) {
        if (!first)
            out.push_back(',');
        first = false;
        appendCsvField(out, name);
    };
    if (m_changes) {
        column("operation");
        column("key");
    }
    for (const std::string &field : m_fields)
        column(field);
    out.append("\r\n");
}

void RecordFormat::appendCsvFields(std::string &out, std::string_view payload)
{
    m_values.assign(m_fields.size(), std::string());
    std::vector<json::Member> members;
    if (json::splitObject(payload, members)) {
        for (const json::Member &member : members) {
            if (!json::decodeString(member.key, m_text))
                continue;
            for (size_t i = 0; i < m_fields.size(); ++i) {
                if (m_fields[i] == m_text) {
                    json::valueText(member.value, m_values[i]);
                    break;
                }
            }
        }
    }
    for (size_t i = 0; i < m_values.size(); ++i) {
        if (i > 0)
            out.push_back(',');
        appendCsvField(out, m_values[i]);
    }
}

void RecordFormat::appendSnapshotRow(std::string &out, std::string_view key, std::string_view payload)
{
    if (m_format == Format::Csv) {
        appendCsvFields(out, payload);
        out.append("\r\n");
        return;
    }
    out.append("{\"key\":");
    json::appendString(out, key);
    out.append(",\"payload\":");
    out.append(payload);
    out.append("}\n");
}

void RecordFormat::appendChangeRow(
    std::string &out, std::string_view operation, std::string_view key, std::string_view payload)
{
    if (m_format == Format::Csv) {
        appendCsvField(out, operation);
        out.push_back(',');
        appendCsvField(out, key);
        if (!m_fields.empty())
            out.push_back(',');
        appendCsvFields(out, payload);
        out.append("\r\n");
        return;
    }
    out.append("{\"operation\":");
    json::appendString(out, operation);
    out.append(",\"key\":");
    json::appendString(out, key);
    out.append(",\"payload\":");
    out.append(payload);
    out.append("}\n");
}

} // namespace syncline::connectors::file
