#pragma once
// A mustache template that renders part of a request (a path or a body) from the records it
// carries. The context: `records` lists each record's payload members plus `_json` (the payload
// as JSON), `_key` (Syncline's key), `_id` (the destination's id, when known), `_operation`,
// `_index`, `_first` and `_last`; when the request carries one record its members are also at
// the top level; `_count` and `_json_array` (the payloads as a JSON array) describe the batch.
// Values are inserted escaped for where they go (JSON string content in a body, percent-encoded
// in a path); {{{triple}}} inserts as is. Strings and numbers render as written, booleans as
// true/false, null as nothing (false in sections). Thread: one instance per thread.

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace syncline::connectors::http {

struct TemplateRecord
{
    std::string payload; // canonical JSON object
    std::string key;
    QString destinationId;
    QString operation;
};

class RequestTemplate
{
public:
    enum class Escape { Json, Url };
    // nullopt with `error` filled when the text is not a valid mustache template.
    static std::optional<RequestTemplate> parse(const QString &text, Escape escape, QString *error);

    RequestTemplate(const RequestTemplate &) = default;
    RequestTemplate &operator=(const RequestTemplate &) = default;
    ~RequestTemplate();

    std::string render(const std::vector<const TemplateRecord *> &records) const;
    // True when the template has a {{#records}} section (so one request may carry several records).
    bool iteratesRecords() const { return m_iteratesRecords; }
    // True when any tag reads the context (a path with one, e.g. /people/{{email}}, is per record).
    bool hasTags() const { return m_hasTags; }

private:
    struct Impl;
    RequestTemplate() = default;
    std::shared_ptr<Impl> m_impl;
    bool m_iteratesRecords = false;
    bool m_hasTags = false;
};

} // namespace syncline::connectors::http
