#pragma once
// Turns Salesforce metadata into the mapper's terms: the describeGlobal object list (objects
// that can be created or updated) and an object's describe into fields with a type, required
// (createable, not nillable, not defaulted on create), read-only (neither createable nor
// updateable) and match candidates (externalId fields, and Id). Free functions over values.

#include "engine/connector/connector.h"

#include <QJsonObject>

#include <vector>

namespace syncline::connectors::salesforce {

std::vector<engine::connector::ObjectSpec> objectsFromDescribeGlobal(const QJsonObject &global);
engine::connector::ObjectSpec objectFromDescribe(const QJsonObject &describe);
// "string" -> Text, "int" -> Integer, "double"/"currency"/"percent" -> Number, "datetime" -> Timestamp ...
engine::connector::FieldType fieldType(const QString &salesforceType);

} // namespace syncline::connectors::salesforce
