#pragma once
// Fits a payload's JSON values to the sObject's field types from describe, as Salesforce's JSON
// reader is strict: a number or boolean sent to a text field (an external id filled from an
// integer key, say) becomes text, numeric text sent to a number field a number, "true"/"false"
// sent to a checkbox a boolean. Values of unknown fields, nulls, dates and relationship
// objects pass unchanged. Free functions over values; thread-safe.

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace syncline::connectors::salesforce {

// Lower-case field name -> describe type ("string", "double", "boolean", ...).
using FieldTypes = QHash<QString, QString>;

FieldTypes fieldTypesOf(const QJsonObject &describe);
QJsonValue fitValue(const QJsonValue &value, const QString &salesforceType);
QJsonObject fitRecord(const QJsonObject &fields, const FieldTypes &types);

} // namespace syncline::connectors::salesforce
