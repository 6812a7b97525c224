#pragma once
// Klaviyo's profile attributes, and the JSON:API profile resources built from a mapped payload.
// Field names: the standard attributes (email, phone_number, external_id, first_name, last_name,
// organization, locale, title, image), location.<part> (location.city, ...), and anything else is
// a custom property (a "properties." prefix is optional and dropped). A null value clears the
// attribute, as Klaviyo's profile import defines. Free functions over values; thread-safe.

#include "engine/connector/connector.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace syncline::connectors::klaviyo {

// The identifiers Klaviyo matches a profile by.
const QStringList &identifierNames();
// Every standard attribute and location part, typed, as discovery offers them.
std::vector<engine::connector::FieldSpec> profileFields();

struct ProfileResource
{
    QJsonObject resource; // {type: "profile", id?, attributes: {...}, meta?}
    QString error;        // why it cannot be sent; resource is then empty
};

// The profile to create or update; `id` (a Klaviyo profile id) is set when known.
ProfileResource upsertResource(const QJsonObject &payload, const QString &matchField, const QString &id);
// The profile with every mapped attribute but the identifiers set to null and its mapped custom
// properties unset (meta.patch_properties.unset): what "clear" means for a profile.
ProfileResource clearResource(const QJsonObject &payload, const QString &matchField, const QString &id);
// The value identifying the profile in errors and maps: the match field's value (emails lowercased).
QString identityOf(const QJsonObject &attributes, const QString &matchField);

} // namespace syncline::connectors::klaviyo
