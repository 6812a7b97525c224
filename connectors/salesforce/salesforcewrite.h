#pragma once
// One group of records the Salesforce connector writes the same way: the write (the REST and
// Bulk API operation), the sObject, the external-id field of an upsert, and each record's
// fields and Id, remembering its place in the batch so that outcomes go back to the right row.
// Plain values.

#include "engine/connector/connector.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace syncline::connectors::salesforce {

enum class Write { Upsert, Update, Insert, Delete };
QString writeName(Write write); // "upsert", "update", "insert", "delete" (Bulk API 2.0 operation names)

struct PreparedRecord
{
    size_t index = 0;   // in the batch (and its outcomes)
    QJsonObject fields; // what is written; never Id (upsert, insert) or the id of update/delete
    QString id;         // the record Id (update, delete)
};

struct WriteGroup
{
    Write write = Write::Upsert;
    QString object;
    QString externalIdField; // upsert only
    std::vector<PreparedRecord> records;
};

using Outcomes = std::vector<engine::connector::RecordOutcome>;

} // namespace syncline::connectors::salesforce
