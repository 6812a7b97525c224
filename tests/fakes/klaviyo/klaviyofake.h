#pragma once
// A stateful fake of Klaviyo's profile import API (../shared/destinations/specs/klaviyo_profiles.json):
// POST /api/profile-import (create or update one profile, 201/200), POST /api/profile-bulk-import-jobs
// (202, at most 10,000 profiles and 5 MB), GET the job (queued -> processing -> complete over
// `pollsToComplete` polls, or at once through finishJobs()) and its import errors, paged.
// Profiles are kept by Klaviyo id and found by email (case-insensitive), external_id or phone number;
// a null attribute clears it and meta.patch_properties.unset removes custom properties.
// It checks `Authorization: Klaviyo-API-Key <key>`, the `revision` header and the JSON:API content
// type, sends RateLimit-Limit/-Remaining/-Reset on every answer, answers scripted 429s with
// Retry-After, and refuses chosen profiles (400 on a single import, an import error in a job).
// Thread-safe: the host thread answers, tests read and configure from theirs.

#include "tests/fakes/fakehttphost.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QStringList>

#include <memory>
#include <vector>

namespace syncline::testfakes {

class KlaviyoFake
{
public:
    explicit KlaviyoFake(QString apiKey = QStringLiteral("pk_test_0123456789abcdef"));
    ~KlaviyoFake();

    bool start(quint16 port = 0, QString *error = nullptr);
    QUrl url(const QString &path = {}) const;

    // Profiles whose email or external_id is listed are refused.
    void failIdentifiers(const QStringList &identifiers);
    void scriptRateLimited(int count, int retryAfterSeconds = 1); // the next `count` API requests get 429
    // Requests allowed per second (a fixed window); the answers' RateLimit-* headers count them
    // down and the next request of the second gets 429 with Retry-After. 0 (default): no limit.
    void setBurstLimit(int perSecond);
    void setPollsToComplete(int polls);   // job status reads before a job completes (default 2)
    void setLatencyMs(int latencyMs);
    void revokeKey();                     // every request gets 401 from now on
    void finishJobs();                    // completes every job now, as Klaviyo would without polls
    void reset();                         // profiles, jobs, log

    // Profiles by the value of `key` ("email" lowercased, "external_id" or "phone_number"); a
    // profile without that identifier is left out. Each has its attributes, properties inside.
    QHash<QString, QJsonObject> profiles(const QString &key = QStringLiteral("email")) const;
    int jobCount() const;
    int openJobCount() const;             // jobs not complete yet
    int rateLimitedCount() const;
    int writeRequests() const;            // POSTs past auth and rate limiting
    int unauthorizedCount() const;        // 401s sent
    QList<QPair<QByteArray, QByteArray>> requests() const; // method, path (with query), in order
    QList<QByteArray> bodies() const;

    static constexpr int kMaxBulkProfiles = 10'000;
    static constexpr qsizetype kMaxBulkBytes = 5 * 1024 * 1024;

private:
    struct Job
    {
        QString id;
        QList<QJsonObject> profiles; // the request's profile resource objects
        int polls = 0;
        bool complete = false;
        int failed = 0;
        QString createdAt;
        QString completedAt;
        QList<QJsonObject> errors; // import-error resource objects
    };

    FakeReply handle(const HttpRequest &request);
    FakeReply route(const HttpRequest &request, const QString &path, const QJsonObject &body);
    FakeReply profileImport(const QJsonObject &body);
    FakeReply createJob(const QJsonObject &body, qsizetype bytes);
    FakeReply jobStatus(const QString &id);
    FakeReply importErrors(const QString &id, const QByteArray &query);
    // Applies one profile resource; an empty result is success (`id`, `created` set), else the reason.
    QString apply(const QJsonObject &resource, QString *id, bool *created, QString *pointer);
    void completeJob(Job &job);
    QJsonObject jobJson(const Job &job) const;
    QJsonObject profileJson(const QString &id) const;
    FakeReply json(int status, const QJsonObject &body);
    FakeReply error(int status, const QString &code, const QString &title, const QString &detail,
        const QString &pointer = {});

    mutable QMutex m_mutex;
    QString m_apiKey;
    bool m_revoked = false;
    QSet<QString> m_fail;
    int m_rateLimited = 0;
    int m_retryAfter = 1;
    int m_rateLimitedCount = 0;
    int m_writeRequests = 0;
    int m_unauthorized = 0;
    int m_pollsToComplete = 2;
    int m_latencyMs = 0;
    int m_nextId = 1;
    int m_requestsInWindow = 0;
    int m_burstLimit = 0;
    qint64 m_window = -1;
    QElapsedTimer m_clock;
    QHash<QString, QJsonObject> m_profiles; // id -> attributes
    QHash<QString, QHash<QString, QString>> m_index; // identifier name -> its value (emails lowercased) -> id
    std::vector<Job> m_jobs;
    QList<QPair<QByteArray, QByteArray>> m_requests;
    QList<QByteArray> m_bodies;
    std::unique_ptr<FakeHttpHost> m_host;
};

} // namespace syncline::testfakes
