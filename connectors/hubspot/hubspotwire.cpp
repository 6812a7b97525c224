#include "connectors/hubspot/hubspotwire.h"

#include "engine/mapping/jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::connectors::hubspot {

using engine::connector::FieldSpec;
using engine::connector::FieldType;
namespace json = engine::mapping::json;

std::optional<PayloadProperties> payloadProperties(
    const std::string &payload, const QString &matchField, bool keepMatch)
{
    std::vector<json::Member> members;
    if (!json::splitObject(payload, members))
        return std::nullopt;
    PayloadProperties out;
    for (const json::Member &member : members) {
        std::string key;
        std::string value;
        if (!json::decodeString(member.key, key) || !json::valueText(member.value, value))
            return std::nullopt;
        const QString name = QString::fromStdString(key);
        const QString text = QString::fromStdString(value);
        if (name == matchField) {
            out.matchValue = text;
            if (!keepMatch)
                continue;
        }
        out.properties.insert(name, text);
    }
    return out;
}

std::optional<BatchAnswer> parseBatchAnswer(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    BatchAnswer answer;
    const QJsonObject root = document.object();
    for (const QJsonValue &value : root.value(QStringLiteral("results")).toArray()) {
        const QJsonObject result = value.toObject();
        answer.results.push_back(BatchResult { result.value(QStringLiteral("id")).toVariant().toString(),
            result.value(QStringLiteral("properties")).toObject(),
            result.value(QStringLiteral("objectWriteTraceId")).toString() });
    }
    for (const QJsonValue &value : root.value(QStringLiteral("errors")).toArray()) {
        const QJsonObject error = value.toObject();
        BatchError parsed;
        parsed.message = error.value(QStringLiteral("message")).toString();
        parsed.category = error.value(QStringLiteral("category")).toString();
        const QJsonObject context = error.value(QStringLiteral("context")).toObject();
        for (auto it = context.begin(); it != context.end(); ++it) {
            for (const QJsonValue &id : it->toArray())
                parsed.ids << id.toVariant().toString();
        }
        if (parsed.message.isEmpty()) {
            for (const QJsonValue &detail : error.value(QStringLiteral("errors")).toArray()) {
                if (!detail[QStringLiteral("message")].toString().isEmpty()) {
                    parsed.message = detail[QStringLiteral("message")].toString();
                    break;
                }
            }
        }
        answer.errors.push_back(parsed);
    }
    return answer;
}

QString errorText(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object();
    QString message = error.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        return QString::fromUtf8(body.left(300)).simplified();
    const QString category = error.value(QStringLiteral("category")).toString();
    return category.isEmpty() ? message : category + QStringLiteral(": ") + message;
}

QString dailyLimitSpent(const QByteArray &body429)
{
    const QJsonObject error = QJsonDocument::fromJson(body429).object();
    if (error.value(QStringLiteral("policyName")).toString().compare(QLatin1String("DAILY"), Qt::CaseInsensitive) != 0)
        return {};
    return QStringLiteral(
        "HubSpot's daily API limit for this account is spent (429, policy DAILY); the rows go out with a run "
        "after HubSpot resets it at midnight in the account's time zone");
}

namespace {

FieldType fieldType(const QString &type, const QString &fieldType)
{
    if (type == QLatin1String("number"))
        return FieldType::Number;
    if (type == QLatin1String("bool") || fieldType == QLatin1String("booleancheckbox"))
        return FieldType::Boolean;
    if (type == QLatin1String("date"))
        return FieldType::Date;
    if (type == QLatin1String("datetime"))
        return FieldType::Timestamp;
    return FieldType::Text; // string, enumeration, phone_number, ...
}

} // namespace

engine::Result<std::vector<FieldSpec>> fieldsFromProperties(const QByteArray &body, const QString &where)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject() || !document.object().value(QStringLiteral("results")).isArray())
        return engine::fail(QStringLiteral("hubspot.discovery"),
            QStringLiteral("%1: the properties answer is not HubSpot's {\"results\": [...]}: %2")
                .arg(where, QString::fromUtf8(body.left(200)).simplified()));
    std::vector<FieldSpec> fields;
    for (const QJsonValue &value : document.object().value(QStringLiteral("results")).toArray()) {
        const QJsonObject property = value.toObject();
        FieldSpec field;
        field.name = property.value(QStringLiteral("name")).toString();
        if (field.name.isEmpty() || property.value(QStringLiteral("archived")).toBool())
            continue;
        field.label = property.value(QStringLiteral("label")).toString(field.name);
        field.type = fieldType(
            property.value(QStringLiteral("type")).toString(), property.value(QStringLiteral("fieldType")).toString());
        const QJsonObject metadata = property.value(QStringLiteral("modificationMetadata")).toObject();
        field.readOnly = metadata.value(QStringLiteral("readOnlyValue")).toBool()
            || property.value(QStringLiteral("calculated")).toBool();
        field.identifier
            = property.value(QStringLiteral("hasUniqueValue")).toBool() || field.name == QLatin1String("hs_object_id");
        field.caseInsensitive = field.name == QLatin1String("email");
        if (field.name == QLatin1String("email")) // HubSpot's usual contact key, unique in practice
            field.identifier = true;
        fields.push_back(field);
    }
    return fields;
}

} // namespace syncline::connectors::hubspot
