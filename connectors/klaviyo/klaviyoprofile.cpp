#include "connectors/klaviyo/klaviyoprofile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::connectors::klaviyo {

using engine::connector::FieldSpec;
using engine::connector::FieldType;

namespace {

const QStringList &standardNames()
{
    static const QStringList names = { QStringLiteral("email"), QStringLiteral("phone_number"),
        QStringLiteral("external_id"), QStringLiteral("first_name"), QStringLiteral("last_name"),
        QStringLiteral("organization"), QStringLiteral("locale"), QStringLiteral("title"), QStringLiteral("image") };
    return names;
}

const QStringList &locationParts()
{
    static const QStringList parts = { QStringLiteral("address1"), QStringLiteral("address2"), QStringLiteral("city"),
        QStringLiteral("country"), QStringLiteral("region"), QStringLiteral("zip"), QStringLiteral("timezone"),
        QStringLiteral("ip"), QStringLiteral("latitude"), QStringLiteral("longitude") };
    return parts;
}

QJsonValue text(const QJsonValue &value)
{
    if (value.isNull() || value.isString())
        return value;
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

struct Split
{
    QJsonObject attributes;
    QJsonObject location;
    QJsonObject properties;
};

Split split(const QJsonObject &payload)
{
    Split parts;
    for (auto it = payload.begin(); it != payload.end(); ++it) {
        const QString &name = it.key();
        if (standardNames().contains(name)) {
            parts.attributes.insert(name, text(it.value()));
        } else if (name.startsWith(QLatin1String("location.")) && locationParts().contains(name.mid(9))) {
            const QString part = name.mid(9);
            if (part == QLatin1String("latitude") || part == QLatin1String("longitude")) {
                if (!it.value().isNull()) // a coordinate is a number or a string, never null
                    parts.location.insert(part, it.value().isDouble() ? it.value() : text(it.value()));
            } else {
                parts.location.insert(part, text(it.value()));
            }
        } else {
            parts.properties.insert(name.startsWith(QLatin1String("properties.")) ? name.mid(11) : name, it.value());
        }
    }
    return parts;
}

QString checkIdentifier(const QJsonObject &payload, const QString &matchField, const QString &id)
{
    const QJsonValue value = payload.value(matchField);
    if (id.isEmpty() && (!value.isString() || value.toString().trimmed().isEmpty()))
        return QStringLiteral("the record has no %1, the field Klaviyo matches profiles by").arg(matchField);
    return {};
}

} // namespace

const QStringList &identifierNames()
{
    static const QStringList names
        = { QStringLiteral("email"), QStringLiteral("external_id"), QStringLiteral("phone_number") };
    return names;
}

std::vector<FieldSpec> profileFields()
{
    std::vector<FieldSpec> fields;
    for (const QString &name : standardNames()) {
        FieldSpec field;
        field.name = name;
        field.label = QString(name).replace(QLatin1Char('_'), QLatin1Char(' '));
        field.identifier = identifierNames().contains(name);
        field.caseInsensitive = name == QLatin1String("email");
        fields.push_back(field);
    }
    for (const QString &part : locationParts()) {
        FieldSpec field;
        field.name = QStringLiteral("location.") + part;
        field.label = QStringLiteral("Location: ") + part;
        field.type = part == QLatin1String("latitude") || part == QLatin1String("longitude") ? FieldType::Number
                                                                                              : FieldType::Text;
        fields.push_back(field);
    }
    return fields;
}

QString identityOf(const QJsonObject &attributes, const QString &matchField)
{
    const QString value = attributes.value(matchField).toString().trimmed();
    return matchField == QLatin1String("email") ? value.toLower() : value;
}

ProfileResource upsertResource(const QJsonObject &payload, const QString &matchField, const QString &id)
{
    ProfileResource profile;
    profile.error = checkIdentifier(payload, matchField, id);
    if (!profile.error.isEmpty())
        return profile;
    Split parts = split(payload);
    if (!parts.location.isEmpty())
        parts.attributes.insert(QStringLiteral("location"), parts.location);
    if (!parts.properties.isEmpty())
        parts.attributes.insert(QStringLiteral("properties"), parts.properties);
    profile.resource.insert(QStringLiteral("type"), QStringLiteral("profile"));
    if (!id.isEmpty())
        profile.resource.insert(QStringLiteral("id"), id);
    profile.resource.insert(QStringLiteral("attributes"), parts.attributes);
    return profile;
}

ProfileResource clearResource(const QJsonObject &payload, const QString &matchField, const QString &id)
{
    ProfileResource profile;
    profile.error = checkIdentifier(payload, matchField, id);
    if (!profile.error.isEmpty())
        return profile;
    const Split parts = split(payload);
    QJsonObject attributes;
    for (auto it = parts.attributes.begin(); it != parts.attributes.end(); ++it)
        attributes.insert(it.key(), identifierNames().contains(it.key()) ? it.value() : QJsonValue());
    QJsonObject location;
    for (auto it = parts.location.begin(); it != parts.location.end(); ++it) {
        if (it.key() != QLatin1String("latitude") && it.key() != QLatin1String("longitude"))
            location.insert(it.key(), QJsonValue());
    }
    if (!location.isEmpty())
        attributes.insert(QStringLiteral("location"), location);
    profile.resource.insert(QStringLiteral("type"), QStringLiteral("profile"));
    if (!id.isEmpty())
        profile.resource.insert(QStringLiteral("id"), id);
    profile.resource.insert(QStringLiteral("attributes"), attributes);
    if (!parts.properties.isEmpty()) {
        profile.resource.insert(QStringLiteral("meta"),
            QJsonObject { { QStringLiteral("patch_properties"),
                QJsonObject { { QStringLiteral("unset"), QJsonArray::fromStringList(parts.properties.keys()) } } } });
    }
    return profile;
}

} // namespace syncline::connectors::klaviyo
