#include "connectors/http/requesttemplate.h"

#include "engine/mapping/jsonreader.h"

#include <QRegularExpression>
#include <QUrl>

#include <kainjow/mustache.hpp>

namespace syncline::connectors::http {

namespace json = engine::mapping::json;
using Data = kainjow::mustache::data;

struct RequestTemplate::Impl
{
    kainjow::mustache::mustache engine;
    explicit Impl(const std::string &text)
        : engine(text)
    { }
};

namespace {

std::string jsonEscape(const std::string &text)
{
    std::string out;
    out.reserve(text.size() + 8);
    for (const unsigned char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else {
                out.push_back(char(c));
            }
        }
    }
    return out;
}

std::string urlEscape(const std::string &text)
{
    return QUrl::toPercentEncoding(QString::fromStdString(text)).toStdString();
}

// One record's members as mustache data (see the header for how values render).
Data recordData(const TemplateRecord &record, size_t index, size_t count)
{
    Data data { Data::type::object };
    std::vector<json::Member> members;
    json::splitObject(record.payload, members);
    for (const json::Member &member : members) {
        std::string name, value;
        if (!json::decodeString(member.key, name))
            continue;
        if (member.value == "null")
            data.set(name, Data(false));
        else if (json::valueText(member.value, value))
            data.set(name, Data(value));
    }
    data.set("_json", Data(record.payload));
    data.set("_key", Data(record.key));
    data.set("_id", Data(record.destinationId.toStdString()));
    data.set("_operation", Data(record.operation.toStdString()));
    data.set("_index", Data(std::to_string(index)));
    data.set("_first", Data(index == 0));
    data.set("_last", Data(index + 1 == count));
    return data;
}

} // namespace

RequestTemplate::~RequestTemplate() = default;

std::optional<RequestTemplate> RequestTemplate::parse(const QString &text, Escape escape, QString *error)
{
    RequestTemplate result;
    result.m_impl = std::make_shared<Impl>(text.toStdString());
    if (!result.m_impl->engine.is_valid()) {
        if (error)
            *error = QString::fromStdString(result.m_impl->engine.error_message());
        return std::nullopt;
    }
    if (escape == Escape::Json)
        result.m_impl->engine.set_custom_escape(jsonEscape);
    else
        result.m_impl->engine.set_custom_escape(urlEscape);
    static const QRegularExpression section(QStringLiteral("\\{\\{\\s*#\\s*records\\s*\\}\\}"));
    result.m_iteratesRecords = section.match(text).hasMatch();
    result.m_hasTags = text.contains(QStringLiteral("{{"));
    return result;
}

std::string RequestTemplate::render(const std::vector<const TemplateRecord *> &records) const
{
    Data context { Data::type::object };
    Data list { Data::type::list };
    std::string array = "[";
    for (size_t i = 0; i < records.size(); ++i) {
        list.push_back(recordData(*records[i], i, records.size()));
        if (i > 0)
            array.push_back(',');
        array += records[i]->payload;
    }
    array.push_back(']');
    if (records.size() == 1) {
        context = recordData(*records.front(), 0, 1);
    }
    context.set("records", list);
    context.set("_count", Data(std::to_string(records.size())));
    context.set("_json_array", Data(array));
    return m_impl->engine.render(context);
}

} // namespace syncline::connectors::http
