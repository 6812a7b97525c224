#pragma once
// A stateful fake of HubSpot's CRM v3 objects API and its OAuth token endpoint, for the
// connector tests and the conformance suite, served on 127.0.0.1 from its own thread:
//   POST /crm/v3/objects/{type}/batch/{upsert,create,update,archive,read}  (see hubspotstore.h)
//   GET  /crm/v3/properties/{type}          property metadata for discovery
//   POST /oauth/v1/token                    refresh_token grant; rotates the refresh token
// Every /crm request needs "Authorization: Bearer" with the private-app token or a live OAuth
// access token (else 401). Every answer carries X-HubSpot-RateLimit-* headers; 429s carry
// HubSpot's RATE_LIMIT body. Faults (rate limits, expired tokens, refused records, latency) can
// be set at any time. Thread-safe: tests call it while the server thread answers.

#include "tests/fakes/fakeapistate.h"
#include "tests/fakes/hubspot/hubspotstore.h"

#include <QMutex>
#include <QSet>
#include <QUrl>

#include <memory>

namespace syncline::testfakes {
class FakeHttpHost;
}

namespace syncline::testfakes::hubspot {

struct HubSpotFakeConfig
{
    QString privateAppToken = QStringLiteral("pat-na1-0f6c5b9e-test");
    QString clientId = QStringLiteral("hub-client-1");
    QString clientSecret = QStringLiteral("hub-secret-1");
    QString refreshToken = QStringLiteral("hub-refresh-1"); // the first refresh token it accepts
    bool rotateRefreshTokens = true; // every refresh answers a new refresh token (old ones stay valid)
    int tokenLifetimeSeconds = 1800; // expires_in; an access token older than this answers 401
    int maxInputs = 100; // batch limit of every write
    int secondlyLimit = 0; // requests per 1-second window (0: unlimited)
    int latencyMs = 0; // every write waits this long before its answer
};

struct HubSpotFakeCounters
{
    int requests = 0; // /crm requests
    int writeRequests = 0; // batch upsert/create/update/archive requests that were applied (not 401/429)
    int rateLimited = 0; // 429 answers
    int unauthorized = 0; // 401 answers
    int tokenRequests = 0; // refresh grants answered 200
    int badRequests = 0; // 400 answers
    int multiStatus = 0; // 207 answers
};

struct HubSpotLoggedRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray body;
    int status = 0;
};

class HubSpotFake
{
public:
    explicit HubSpotFake(HubSpotFakeConfig config = {});
    ~HubSpotFake();

    bool start(QString *error = nullptr); // any free port
    QUrl url() const; // http://127.0.0.1:<port>
    QUrl tokenUrl() const; // url()/oauth/v1/token
    const HubSpotFakeConfig &config() const { return m_config; }

    FakeReply handle(const HttpRequest &request); // the server thread calls it

    void setLatency(int ms);
    void setSecondlyLimit(int requests);
    void rateLimitNext(int requests, const QString &policy = QStringLiteral("TEN_SECONDLY_ROLLING"));
    void expireAccessTokens(); // OAuth access tokens issued so far answer 401 from now on
    // Records for which this returns true are refused with a 207 per-input error (null: none).
    void rejectWhere(std::function<bool(const QString &objectType, const QHash<QString, QString> &properties)> reject);
    void defineObject(const QString &objectType, std::vector<PropertyDef> properties);
    void clearRecords();

    QMap<QString, StoredRecord> records(const QString &objectType) const; // live records by id
    QHash<QString, int> writesPerRecord() const; // "<type>/<id>" -> writes applied
    HubSpotFakeCounters counters() const;
    QList<HubSpotLoggedRequest> requests() const;
    QString latestRefreshToken() const;

private:
    FakeReply token(const HttpRequest &request);
    FakeReply crm(const HttpRequest &request);
    FakeReply json(int status, const QJsonObject &body, bool rateHeaders = true) const;
    void addRateHeaders(FakeReply &reply, int remaining) const;
    std::optional<FakeReply> rateLimit();

    HubSpotFakeConfig m_config;
    mutable QMutex m_mutex;
    HubSpotStore m_store;
    QHash<QString, qint64> m_accessTokens; // live OAuth access tokens -> when they expire (ms since epoch)
    QSet<QString> m_refreshTokens; // accepted refresh tokens
    QString m_latestRefresh;
    int m_issued = 0;
    int m_scripted429 = 0;
    QString m_scriptedPolicy;
    qint64 m_windowStart = -1;
    int m_windowCount = 0;
    int m_dailyUsed = 0;
    HubSpotFakeCounters m_counters;
    QList<HubSpotLoggedRequest> m_log;
    std::unique_ptr<FakeHttpHost> m_host;
};

} // namespace syncline::testfakes::hubspot
