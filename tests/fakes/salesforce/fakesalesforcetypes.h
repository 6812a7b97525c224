#pragma once
// Values of the fake Salesforce org: its configuration (connected app, describes, limits, which
// records to refuse), its request log and its Bulk API 2.0 jobs. Plain values, copied across threads.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace syncline::testfakes {

struct FakeSalesforceConfig
{
    QString apiVersion = QStringLiteral("v60.0");
    QString clientId = QStringLiteral("syncline-app");
    QString clientSecret = QStringLiteral("app-secret");
    QString refreshToken = QStringLiteral("refresh-0"); // the one valid refresh token
    bool rotateRefreshTokens = true;                     // each refresh returns (and requires) a new one
    QUrl instanceUrl;                                    // token responses' instance_url; empty: the fake itself
    QMap<QString, QJsonObject> describes;                // sObject -> describe; empty: Contact and Account
    qint64 apiLimit = 15000;                             // Sforce-Limit-Info: api-usage=used/apiLimit
    qint64 apiUsedAtStart = 0;
    int bulkPollsInProgress = 1;                         // GETs a job answers InProgress before it runs
    int bulkPollFailures = 0;                            // a job's first N state GETs answer 503 SERVER_UNAVAILABLE
    // Records refused with FIELD_CUSTOM_VALIDATION_EXCEPTION (collections and bulk alike).
    std::function<bool(const QString &object, const QJsonObject &record)> rejectRecord;
    QString bulkJobFailure;                              // non-empty: jobs end Failed with this errorMessage
    int writeLatencyMs = 0;                              // every POST/PATCH/PUT/DELETE answer waits this long
};

struct FakeSalesforceCounters
{
    int writeRequests = 0; // POST, PATCH, PUT, DELETE answered other than 401 or REQUEST_LIMIT_EXCEEDED
    int limited = 0;       // 403 REQUEST_LIMIT_EXCEEDED answers
    int unauthorized = 0;  // 401 INVALID_SESSION_ID answers
    int tokensIssued = 0;
};

struct FakeSalesforceRequest
{
    QByteArray method;
    QByteArray path;  // without the query
    QByteArray query;
    QByteArray contentType;
    QByteArray body;
    int status = 0;
    int records = 0;  // records in a collections request (or ids of a delete)
};

struct FakeBulkJob
{
    QString id;
    QString object;
    QString operation;
    QString externalIdField;
    QString state;        // Open, UploadComplete, InProgress, JobComplete, Failed, Aborted
    QByteArray data;      // the uploaded CSV
    int polls = 0;        // GETs answered InProgress
    int failedPolls = 0;  // state GETs answered 503 (FakeSalesforceConfig::bulkPollFailures)
    int processed = 0;
    int failed = 0;
    QString errorMessage;
    QList<QStringList> successful; // sf__Id, sf__Created, then the uploaded cells
    QList<QStringList> failures;   // sf__Id, sf__Error, then the uploaded cells
    QList<QStringList> unprocessed;
    QStringList header;            // of the upload
};

} // namespace syncline::testfakes
