#pragma once
// Reads Salesforce's error shapes: the REST error list `[{message, errorCode, fields}]`, the
// per-record `errors[{statusCode, message, fields}]` of sObject Collections, Bulk API 2.0's
// `sf__Error` text, and the `Sforce-Limit-Info: api-usage=used/limit` header.
// Free functions over values; thread-safe.

#include "connectors/http/httpmessage.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace syncline::connectors::salesforce {

struct ApiError
{
    QString code;    // errorCode or statusCode, e.g. REQUIRED_FIELD_MISSING
    QString message;
    QStringList fields;
    // "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (LastName)"
    QString text() const;
};

// The REST error list of a non-2xx answer (any body: an unreadable one gives one entry with the status).
QList<ApiError> apiErrors(const http::HttpResponse &response);
// A per-record `errors` array.
QList<ApiError> recordErrors(const QJsonArray &errors);
// "CODE:message:fields --" from a failedResults row.
ApiError bulkError(const QString &sfError);
QString describe(const QList<ApiError> &errors);

// A record failed for a reason that may pass later (a locked row, a busy server): sent again next run.
bool retryableRecordError(const QList<ApiError> &errors);
// The answer is REQUEST_LIMIT_EXCEEDED (403); `daily` when it is the org's 24-hour API allocation
// (TotalRequests) rather than a limit on concurrent requests, which passes in seconds.
bool requestLimitExceeded(const http::HttpResponse &response, bool *daily = nullptr);

struct ApiUsage
{
    qint64 used = 0;
    qint64 limit = 0;
};
// "api-usage=18/5000" (possibly with ", per-app-api-usage=..." after it).
std::optional<ApiUsage> parseLimitInfo(const QByteArray &header);

} // namespace syncline::connectors::salesforce
