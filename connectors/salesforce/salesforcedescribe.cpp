#include "connectors/salesforce/salesforcedescribe.h"

#include <QJsonArray>

namespace syncline::connectors::salesforce {

using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::connector::ObjectSpec;

FieldType fieldType(const QString &type)
{
    if (type == QLatin1String("boolean"))
        return FieldType::Boolean;
    if (type == QLatin1String("int") || type == QLatin1String("long"))
        return FieldType::Integer;
    if (type == QLatin1String("double") || type == QLatin1String("currency") || type == QLatin1String("percent"))
        return FieldType::Number;
    if (type == QLatin1String("date"))
        return FieldType::Date;
    if (type == QLatin1String("datetime"))
        return FieldType::Timestamp;
    if (type == QLatin1String("address") || type == QLatin1String("location") || type == QLatin1String("anyType"))
        return FieldType::Json;
    return FieldType::Text; // string, textarea, email, phone, url, picklist, id, reference, time, ...
}

std::vector<ObjectSpec> objectsFromDescribeGlobal(const QJsonObject &global)
{
    std::vector<ObjectSpec> objects;
    for (const QJsonValue &value : global.value(QStringLiteral("sobjects")).toArray()) {
        const QJsonObject summary = value.toObject();
        // Objects nothing can be written to (most system tables) are of no use to a sync.
        if (summary.contains(QStringLiteral("createable")) && !summary.value(QStringLiteral("createable")).toBool()
            && !summary.value(QStringLiteral("updateable")).toBool())
            continue;
        ObjectSpec object;
        object.name = summary.value(QStringLiteral("name")).toString();
        object.label = summary.value(QStringLiteral("label")).toString(object.name);
        if (!object.name.isEmpty())
            objects.push_back(std::move(object));
    }
    return objects;
}

ObjectSpec objectFromDescribe(const QJsonObject &describe)
{
    ObjectSpec object;
    object.name = describe.value(QStringLiteral("name")).toString();
    object.label = describe.value(QStringLiteral("label")).toString(object.name);
    for (const QJsonValue &value : describe.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject json = value.toObject();
        FieldSpec field;
        field.name = json.value(QStringLiteral("name")).toString();
        field.label = json.value(QStringLiteral("label")).toString(field.name);
        field.type = fieldType(json.value(QStringLiteral("type")).toString());
        const bool createable = json.value(QStringLiteral("createable")).toBool();
        const bool updateable = json.value(QStringLiteral("updateable")).toBool();
        field.required = createable && !json.value(QStringLiteral("nillable")).toBool(true)
            && !json.value(QStringLiteral("defaultedOnCreate")).toBool() && field.type != FieldType::Boolean;
        const bool isId = field.name == QLatin1String("Id");
        field.readOnly = !createable && !updateable && !isId;
        field.identifier = isId || json.value(QStringLiteral("externalId")).toBool();
        // External ids compare ignoring case unless the field is marked case-sensitive; Ids never do.
        field.caseInsensitive = field.identifier && !isId && field.type == FieldType::Text
            && !json.value(QStringLiteral("caseSensitive")).toBool();
        if (!field.name.isEmpty())
            object.fields.push_back(std::move(field));
    }
    return object;
}

} // namespace syncline::connectors::salesforce
