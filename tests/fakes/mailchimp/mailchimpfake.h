#pragma once
// A stateful fake of the Mailchimp Marketing API 3.0 (the members subset in
// ../shared/destinations/specs/mailchimp_marketing_members_subset.json), served on 127.0.0.1.
// It keeps audiences and their members by subscriber hash (MD5 of the lowercased email), checks
// HTTP basic auth against its API key, and adds what the spec cannot say: the 500-member batch
// limit, "status required" on batch members, "Member Exists" for POST, required merge fields,
// archived members, 429 (problem+json, no rate-limit headers: Mailchimp has none) when more than
// `maxConnections` requests are open at once or when scripted, and chosen emails refused.
// Paths are served both with and without the /3.0 prefix (Prism strips it, the real host has it).
// Thread-safe: the host thread answers, tests read and configure from theirs.

#include "tests/fakes/fakehttphost.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QStringList>

#include <deque>
#include <memory>
#include <vector>

namespace syncline::testfakes {

class MailchimpFake
{
public:
    struct MergeField
    {
        QString tag;
        QString name;
        QString type = QStringLiteral("text"); // text, number, date, birthday, phone, url, ...
        bool required = false;
    };

    explicit MailchimpFake(QString apiKey = QStringLiteral("0123456789abcdef0123456789abcdef-us21"));
    ~MailchimpFake();

    bool start(quint16 port = 0, QString *error = nullptr);
    QUrl url(const QString &path = {}) const; // without /3.0, as a test points base_url at it

    void addAudience(const QString &listId, const QString &name, const std::vector<MergeField> &mergeFields);
    // A member as if added in Mailchimp itself (the test's "existing contact").
    void addMember(const QString &listId, const QString &email, const QString &status, const QJsonObject &mergeFields = {});
    // Members whose email (any case) is listed are refused: batch errors[] / 400 problem on PUT.
    void failEmails(const QStringList &emails);
    void scriptRateLimited(int count);     // the next `count` API requests get 429
    void setLatencyMs(int latencyMs);      // every reply waits this long
    void setMaxConnections(int count);     // requests open at once before 429 (default 10)
    void revokeKey();                      // every request gets 401 from now on
    void reset();                          // members, log, counters; audiences and settings stay

    // email (lowercased) -> member JSON, for one audience; archived members are left out.
    QHash<QString, QJsonObject> members(const QString &listId) const;
    QSet<QString> archived(const QString &listId) const;
    struct Counters
    {
        int writeRequests = 0; // POST/PUT/PATCH/DELETE past auth and the connection limit
        int rateLimited = 0;   // 429s sent
        int unauthorized = 0;  // 401s sent
    };
    Counters counters() const;
    int maxOpenSeen() const;               // the most requests open at once so far
    int rateLimitedCount() const;
    QList<QPair<QByteArray, QByteArray>> requests() const; // method, path, in order
    QList<QByteArray> bodies() const;                       // request bodies, in order

    static QString subscriberHash(const QString &email);

private:
    FakeReply handle(const HttpRequest &request);
    FakeReply route(const HttpRequest &request, const QStringList &parts);
    FakeReply batchSubscribe(const QString &listId, const QJsonObject &body);
    FakeReply putMember(const QString &listId, const QString &hash, const QJsonObject &body, bool patch);
    FakeReply postMember(const QString &listId, const QJsonObject &body);
    QString applyMember(const QString &listId, const QJsonObject &input, bool updateExisting, bool *created);
    QJsonObject memberJson(const QString &listId, const QJsonObject &member) const;
    FakeReply problem(int status, const QString &title, const QString &detail) const;
    FakeReply json(int status, const QJsonObject &body) const;

    struct Audience
    {
        QString name;
        std::vector<MergeField> mergeFields;
        QHash<QString, QJsonObject> members; // hash -> stored member
    };

    mutable QMutex m_mutex;
    QString m_apiKey;
    bool m_revoked = false;
    QHash<QString, Audience> m_audiences;
    QSet<QString> m_failEmails;
    int m_rateLimited = 0;
    int m_rateLimitedCount = 0;
    int m_writeRequests = 0;
    int m_unauthorized = 0;
    int m_latencyMs = 0;
    int m_maxConnections = 10;
    int m_maxOpen = 0;
    std::deque<qint64> m_openUntil; // when each open request's reply goes out (ms, steady clock)
    QList<QPair<QByteArray, QByteArray>> m_requests;
    QList<QByteArray> m_bodies;
    std::unique_ptr<FakeHttpHost> m_host;
};

} // namespace syncline::testfakes
