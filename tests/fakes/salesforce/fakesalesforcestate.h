#pragma once
// The fake Salesforce org's behaviour and memory: the OAuth token endpoint (refresh-token grant,
// rotation, expiry), describeGlobal and describe, sObject Collections (200 records a request,
// per-record success/errors, allOrNone rollback, required and read-only fields, chosen records
// refused), Bulk API 2.0 ingest jobs (Open -> UploadComplete -> InProgress -> JobComplete/Failed,
// Aborted; CSV results), Sforce-Limit-Info on every API answer, scripted whole-request errors
// (403 REQUEST_LIMIT_EXCEEDED, 503 ...) and 401 INVALID_SESSION_ID for expired sessions.
// Records are kept per sObject by Id, with an index per external-id field (case-insensitive).
// Thread-safe: the server thread calls handle(), tests read it from theirs.

#include "tests/fakes/fakeapistate.h"
#include "tests/fakes/httprequestparser.h"
#include "tests/fakes/salesforce/fakesalesforcetypes.h"

#include <QHash>
#include <QJsonArray>
#include <QMutex>
#include <QSet>

#include <deque>
#include <optional>

namespace syncline::testfakes {

class FakeSalesforceState
{
public:
    explicit FakeSalesforceState(FakeSalesforceConfig config = {});

    FakeReply handle(const HttpRequest &request);

    void setConfig(const FakeSalesforceConfig &config); // records, tokens and jobs stay
    FakeSalesforceConfig config() const;
    void setSelfUrl(const QUrl &url); // the instance_url when the config names none
    void expireTokens();              // every access token issued so far gets 401 INVALID_SESSION_ID
    // The next `count` API requests get `status` with [{errorCode, message}] and change nothing.
    void failNextRequests(int count, int status, const QString &errorCode, const QString &message);
    void reset(); // records, jobs, log, usage, scripted failures

    QHash<QString, QJsonObject> records(const QString &object) const; // Id -> fields
    QList<FakeSalesforceRequest> requests() const;
    QList<FakeBulkJob> jobs() const;
    QString refreshToken() const;
    int tokensIssued() const;
    qint64 apiUsed() const;
    FakeSalesforceCounters counters() const;

    static QJsonObject defaultDescribe(const QString &object); // Contact, Account

private:
    struct WriteResult
    {
        bool success = false;
        QString id;
        bool created = false;
        QJsonArray errors;
    };
    struct ScriptedFailure
    {
        int status;
        QString code;
        QString message;
    };

    // Everything below runs with m_mutex held.
    FakeReply token(const HttpRequest &request);
    FakeReply api(const HttpRequest &request, const QString &rest, FakeSalesforceRequest &log);
    FakeReply collections(const QByteArray &method, const QStringList &segments, const HttpRequest &request,
        FakeSalesforceRequest &log);
    FakeReply bulk(const QByteArray &method, const QStringList &segments, const HttpRequest &request);
    void advance(FakeBulkJob &job);
    void runJob(FakeBulkJob &job);
    QJsonObject jobInfo(const FakeBulkJob &job) const;
    QByteArray resultCsv(const FakeBulkJob &job, const QString &file) const;

    // One record write, shared by collections and bulk; `apply` false only checks it.
    WriteResult write(const QString &operation, const QString &object, const QString &externalIdField,
        const QJsonObject &fields, const QString &id, bool apply);
    std::optional<QString> unknownField(const QString &object, const QJsonObject &fields) const;
    QJsonObject describeOf(const QString &object) const;
    QHash<QString, QString> &index(const QString &object, const QString &field);
    void reindex(const QString &object, const QString &id, const QJsonObject &before, const QJsonObject &after);
    QString newId(const QString &object, const QString &prefixFallback = QStringLiteral("a0X"));

    FakeReply json(int status, const QJsonValue &body) const;
    FakeReply apiError(int status, const QString &code, const QString &message) const;

    mutable QMutex m_mutex;
    FakeSalesforceConfig m_config;
    QUrl m_selfUrl;
    QString m_refreshToken;
    QSet<QString> m_validTokens;
    int m_tokensIssued = 0;
    qint64 m_apiUsed = 0;
    std::deque<ScriptedFailure> m_failures;
    QHash<QString, QHash<QString, QJsonObject>> m_records; // object -> Id -> fields
    QSet<QString> m_deleted;
    QHash<QString, QHash<QString, QString>> m_indexes;     // "object\nfield" -> lower(value) -> Id
    qint64 m_nextId = 0;
    FakeSalesforceCounters m_counters;
    QList<FakeBulkJob> m_jobs;
    QList<FakeSalesforceRequest> m_log;
};

} // namespace syncline::testfakes
