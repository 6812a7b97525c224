#pragma once
// HubSpot CRM v3 on the wire, as pure functions: a payload's properties as HubSpot wants them
// (every value a string, numbers as written, "" for null, which clears the property), the batch
// answers read back (results and 207 errors, every error field optional), and property metadata
// turned into fields for the mapper. Thread: free functions over values.

#include "engine/connector/connector.h"
#include "engine/core/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace syncline::connectors::hubspot {

struct PayloadProperties
{
    QJsonObject properties; // name -> string value
    QString matchValue; // the value of the match field, as text
};
// Splits a canonical JSON payload into the match value and the other properties (`keepMatch`
// leaves the match field among the properties, as a create needs). Nullopt when not an object.
std::optional<PayloadProperties> payloadProperties(
    const std::string &payload, const QString &matchField, bool keepMatch);

struct BatchResult
{
    QString id; // hs_object_id
    QJsonObject properties;
    QString objectWriteTraceId;
};
struct BatchError
{
    QString message; // "" when absent
    QString category;
    QStringList ids; // context.ids, context.objectWriteTraceId, ... (all values)
};
struct BatchAnswer
{
    std::vector<BatchResult> results;
    std::vector<BatchError> errors;
};
// Reads a 200/201/207 batch body; nullopt when it is not a JSON object.
std::optional<BatchAnswer> parseBatchAnswer(const QByteArray &body);

// "VALIDATION_ERROR: Property values were not valid ..." from a whole-request error body
// ({message, category, errors[]}), or the body's start when it is not HubSpot's shape.
QString errorText(const QByteArray &body);

// A 429 whose body names the DAILY policy: waiting minutes will not help, so its records wait for
// the next run. Returns why (for a person), or empty for the usual per-second limits.
QString dailyLimitSpent(const QByteArray &body429);

// GET /crm/v3/properties/{type} -> fields. Unique properties (and hs_object_id) can be the match
// key; read-only or calculated ones cannot be mapped; `email` compares without case.
engine::Result<std::vector<engine::connector::FieldSpec>> fieldsFromProperties(
    const QByteArray &body, const QString &where);

} // namespace syncline::connectors::hubspot
