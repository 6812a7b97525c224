#include "engine/connector/connectorregistry.h"

#include <algorithm>

namespace syncline::engine::connector {

QString operationName(Operation op)
{
    switch (op) {
    case Operation::Upsert:
        return QStringLiteral("upsert");
    case Operation::Update:
        return QStringLiteral("update");
    case Operation::Insert:
        return QStringLiteral("insert");
    case Operation::Delete:
        return QStringLiteral("delete");
    case Operation::Clear:
        return QStringLiteral("clear");
    }
    return QStringLiteral("unknown");
}

QString settingTypeName(SettingSpec::Type type)
{
    switch (type) {
    case SettingSpec::Type::Text:
        return QStringLiteral("text");
    case SettingSpec::Type::Integer:
        return QStringLiteral("integer");
    case SettingSpec::Type::Boolean:
        return QStringLiteral("boolean");
    case SettingSpec::Type::Choice:
        return QStringLiteral("choice");
    case SettingSpec::Type::Path:
        return QStringLiteral("path");
    case SettingSpec::Type::Secret:
        return QStringLiteral("secret");
    case SettingSpec::Type::Url:
        return QStringLiteral("url");
    case SettingSpec::Type::Duration:
        return QStringLiteral("duration");
    case SettingSpec::Type::Rate:
        return QStringLiteral("rate");
    case SettingSpec::Type::Map:
        return QStringLiteral("map");
    case SettingSpec::Type::Object:
        return QStringLiteral("object");
    }
    return QStringLiteral("text");
}

void ConnectorRegistry::add(ConnectorType type)
{
    // A later registration of the same id replaces the earlier one (tests swap in fakes).
    const auto existing = std::find_if(
        m_types.begin(), m_types.end(), [&type](const ConnectorType &known) { return known.id == type.id; });
    if (existing != m_types.end())
        *existing = std::move(type);
    else
        m_types.push_back(std::move(type));
}

const ConnectorType *ConnectorRegistry::find(const QString &id) const
{
    for (const ConnectorType &type : m_types) {
        if (type.id == id)
            return &type;
    }
    return nullptr;
}

Result<std::unique_ptr<Connector>> ConnectorRegistry::create(
    const DestinationDef &destination, SecretResolver &secrets) const
{
    const ConnectorType *type = find(destination.type);
    if (!type) {
        QStringList known;
        for (const ConnectorType &candidate : m_types)
            known << candidate.id;
        return fail(QStringLiteral("destination.unknown_type"),
            QStringLiteral("Destination '%1' has type '%2', which this Syncline does not know; use one of: %3")
                .arg(destination.name, destination.type,
                    known.isEmpty() ? QStringLiteral("(none registered)") : known.join(QStringLiteral(", "))));
    }
    if (!type->create)
        return fail(QStringLiteral("destination.unknown_type"),
            QStringLiteral("Destination type '%1' has no factory registered").arg(type->id));
    return type->create(destination, secrets);
}

} // namespace syncline::engine::connector
