#include "tests/fakes/hubspot/hubspotfake.h"

#include "tests/fakes/fakehttphost.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace syncline::testfakes::hubspot {

namespace {

constexpr int kDailyLimit = 500000;

QString bearer(const HttpRequest &request)
{
    const QByteArray value = request.header("Authorization");
    return value.startsWith("Bearer ") ? QString::fromUtf8(value.mid(7)).trimmed() : QString();
}

} // namespace

HubSpotFake::HubSpotFake(HubSpotFakeConfig config)
    : m_config(std::move(config))
{
    m_store.maxInputs = m_config.maxInputs;
    m_refreshTokens.insert(m_config.refreshToken);
    m_latestRefresh = m_config.refreshToken;
}

HubSpotFake::~HubSpotFake() = default; // stops the server thread first (m_host is the last member)

bool HubSpotFake::start(QString *error)
{
    m_host = std::make_unique<FakeHttpHost>([this](const HttpRequest &request) { return handle(request); });
    return m_host->start(0, error);
}

QUrl HubSpotFake::url() const
{
    return m_host->url();
}
QUrl HubSpotFake::tokenUrl() const
{
    return m_host->url(QStringLiteral("/oauth/v1/token"));
}

FakeReply HubSpotFake::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    FakeReply reply = request.path() == "/oauth/v1/token" ? token(request) : crm(request);
    if (reply.status == 400)
        ++m_counters.badRequests;
    if (reply.status == 207)
        ++m_counters.multiStatus;
    if (m_log.size() < 20000)
        m_log.append(HubSpotLoggedRequest { request.method, request.path(), request.body, reply.status });
    return reply;
}

FakeReply HubSpotFake::json(int status, const QJsonObject &body, bool rateHeaders) const
{
    FakeReply reply;
    reply.status = status;
    if (status != 204) {
        reply.headers.emplaceBack("Content-Type", "application/json;charset=utf-8");
        reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    if (rateHeaders)
        addRateHeaders(reply, m_config.secondlyLimit > 0 ? std::max(0, m_config.secondlyLimit - m_windowCount) : 99);
    return reply;
}

void HubSpotFake::addRateHeaders(FakeReply &reply, int remaining) const
{
    reply.headers.emplaceBack("X-HubSpot-RateLimit-Daily", QByteArray::number(kDailyLimit));
    reply.headers.emplaceBack("X-HubSpot-RateLimit-Daily-Remaining", QByteArray::number(kDailyLimit - m_dailyUsed));
    reply.headers.emplaceBack(
        "X-HubSpot-RateLimit-Secondly", QByteArray::number(m_config.secondlyLimit > 0 ? m_config.secondlyLimit : 100));
    reply.headers.emplaceBack("X-HubSpot-RateLimit-Secondly-Remaining", QByteArray::number(remaining));
}

std::optional<FakeReply> HubSpotFake::rateLimit()
{
    QString policy;
    if (m_scripted429 > 0) {
        --m_scripted429;
        policy = m_scriptedPolicy;
    } else if (m_config.secondlyLimit > 0) {
        const qint64 window = QDateTime::currentMSecsSinceEpoch() / 1000;
        if (window != m_windowStart) {
            m_windowStart = window;
            m_windowCount = 0;
        }
        if (++m_windowCount > m_config.secondlyLimit)
            policy = QStringLiteral("SECONDLY");
    }
    if (policy.isEmpty())
        return std::nullopt;
    ++m_counters.rateLimited;
    FakeReply reply = json(429,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("error") },
            { QStringLiteral("message"), QStringLiteral("You have reached your %1 limit.").arg(policy.toLower()) },
            { QStringLiteral("errorType"), QStringLiteral("RATE_LIMIT") },
            { QStringLiteral("correlationId"), QStringLiteral("c0e5a0f6-4a2b-4f7e-9d63-2f8e1c7b1d11") },
            { QStringLiteral("policyName"), policy } },
        false);
    addRateHeaders(reply, 0);
    return reply;
}

FakeReply HubSpotFake::token(const HttpRequest &request)
{
    const QUrlQuery form(QString::fromUtf8(request.body));
    const auto field
        = [&form](const char *name) { return form.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded); };
    if (request.method != "POST" || field("grant_type") != QLatin1String("refresh_token"))
        return json(400,
            QJsonObject { { QStringLiteral("status"), QStringLiteral("BAD_GRANT_TYPE") },
                { QStringLiteral("message"), QStringLiteral("grant_type must be refresh_token") } },
            false);
    if (field("client_id") != m_config.clientId || field("client_secret") != m_config.clientSecret)
        return json(400,
            QJsonObject { { QStringLiteral("status"), QStringLiteral("BAD_CLIENT_ID") },
                { QStringLiteral("message"), QStringLiteral("missing or unknown client id") } },
            false);
    if (!m_refreshTokens.contains(field("refresh_token")))
        return json(400,
            QJsonObject { { QStringLiteral("status"), QStringLiteral("BAD_REFRESH_TOKEN") },
                { QStringLiteral("message"), QStringLiteral("missing or invalid refresh token") } },
            false);
    ++m_issued;
    const QString access = QStringLiteral("hub-access-%1").arg(m_issued);
    m_accessTokens.insert(access, QDateTime::currentMSecsSinceEpoch() + qint64(m_config.tokenLifetimeSeconds) * 1000);
    if (m_config.rotateRefreshTokens) {
        m_latestRefresh = QStringLiteral("hub-refresh-rotated-%1").arg(m_issued);
        m_refreshTokens.insert(m_latestRefresh);
    }
    ++m_counters.tokenRequests;
    return json(200,
        QJsonObject { { QStringLiteral("token_type"), QStringLiteral("bearer") },
            { QStringLiteral("access_token"), access }, { QStringLiteral("refresh_token"), m_latestRefresh },
            { QStringLiteral("expires_in"), m_config.tokenLifetimeSeconds } },
        false);
}

FakeReply HubSpotFake::crm(const HttpRequest &request)
{
    ++m_counters.requests;
    const QString token = bearer(request);
    const bool liveOAuth = m_accessTokens.value(token, 0) > QDateTime::currentMSecsSinceEpoch();
    if (token.isEmpty() || (token != m_config.privateAppToken && !liveOAuth)) {
        ++m_counters.unauthorized;
        const bool expired = token.startsWith(QLatin1String("hub-access-"));
        return json(401,
            hubSpotError(expired ? QStringLiteral("EXPIRED_AUTHENTICATION") : QStringLiteral("INVALID_AUTHENTICATION"),
                expired ? QStringLiteral("The OAuth token used to make this call expired.")
                        : QStringLiteral("Authentication credentials not found.")),
            false);
    }
    if (auto limited = rateLimit())
        return *limited;
    ++m_dailyUsed;
    const QStringList parts = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path()))
                                  .split(QLatin1Char('/'), Qt::SkipEmptyParts);
    // crm v3 properties {type} | crm v3 objects {type} batch {op}
    if (parts.size() == 4 && parts[2] == QLatin1String("properties") && request.method == "GET") {
        if (!m_store.hasObject(parts[3]))
            return json(400,
                hubSpotError(QStringLiteral("VALIDATION_ERROR"),
                    QStringLiteral("Unable to infer object type from: %1").arg(parts[3])));
        return json(200, m_store.propertiesJson(parts[3]));
    }
    if (parts.size() != 6 || parts[2] != QLatin1String("objects") || parts[4] != QLatin1String("batch")
        || request.method != "POST")
        return json(404,
            hubSpotError(QStringLiteral("OBJECT_NOT_FOUND"),
                QStringLiteral("No route for %1 %2")
                    .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path()))));
    const QString type = parts[3];
    if (!m_store.hasObject(type))
        return json(400,
            hubSpotError(
                QStringLiteral("VALIDATION_ERROR"), QStringLiteral("Unable to infer object type from: %1").arg(type)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return json(400,
            hubSpotError(QStringLiteral("VALIDATION_ERROR"),
                QStringLiteral("Invalid input JSON on line 1: %1").arg(parseError.errorString())));
    const QString op = parts[5];
    WriteAnswer answer;
    if (op == QLatin1String("upsert"))
        answer = m_store.upsert(type, document.object());
    else if (op == QLatin1String("create"))
        answer = m_store.create(type, document.object());
    else if (op == QLatin1String("update"))
        answer = m_store.update(type, document.object());
    else if (op == QLatin1String("archive"))
        answer = m_store.archive(type, document.object());
    else if (op == QLatin1String("read"))
        answer = m_store.read(type, document.object());
    else
        return json(404,
            hubSpotError(QStringLiteral("OBJECT_NOT_FOUND"), QStringLiteral("Unknown batch operation %1").arg(op)));
    FakeReply reply = json(answer.status, answer.body);
    if (op != QLatin1String("read")) {
        ++m_counters.writeRequests;
        reply.delayMs = m_config.latencyMs;
    }
    return reply;
}

void HubSpotFake::setLatency(int ms)
{
    QMutexLocker lock(&m_mutex);
    m_config.latencyMs = ms;
}

void HubSpotFake::setSecondlyLimit(int requests)
{
    QMutexLocker lock(&m_mutex);
    m_config.secondlyLimit = requests;
}

void HubSpotFake::rateLimitNext(int requests, const QString &policy)
{
    QMutexLocker lock(&m_mutex);
    m_scripted429 = requests;
    m_scriptedPolicy = policy;
}

void HubSpotFake::expireAccessTokens()
{
    QMutexLocker lock(&m_mutex);
    m_accessTokens.clear();
}

void HubSpotFake::rejectWhere(std::function<bool(const QString &, const QHash<QString, QString> &)> reject)
{
    QMutexLocker lock(&m_mutex);
    m_store.reject = std::move(reject);
}

void HubSpotFake::defineObject(const QString &objectType, std::vector<PropertyDef> properties)
{
    QMutexLocker lock(&m_mutex);
    m_store.defineObject(objectType, std::move(properties));
}

void HubSpotFake::clearRecords()
{
    QMutexLocker lock(&m_mutex);
    m_store.clearRecords();
}

QMap<QString, StoredRecord> HubSpotFake::records(const QString &objectType) const
{
    QMutexLocker lock(&m_mutex);
    return m_store.records(objectType);
}

QHash<QString, int> HubSpotFake::writesPerRecord() const
{
    QMutexLocker lock(&m_mutex);
    return m_store.writesPerRecord;
}

HubSpotFakeCounters HubSpotFake::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

QList<HubSpotLoggedRequest> HubSpotFake::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

QString HubSpotFake::latestRefreshToken() const
{
    QMutexLocker lock(&m_mutex);
    return m_latestRefresh;
}

} // namespace syncline::testfakes::hubspot
