#include "connectors/http/oauth2refreshauth.h"

#include "connectors/http/httptransport.h"
#include "engine/secrets/secretresolver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace syncline::connectors::http {

namespace {

// Refresh this long before the provider's expiry, or at half the lifetime for short-lived tokens.
constexpr qint64 refreshMarginSeconds = 60;

QByteArray formEncode(const QList<QPair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[key, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

} // namespace

OAuth2RefreshAuth::OAuth2RefreshAuth(Config config, engine::SecretResolver *resolver)
    : m_config(std::move(config))
    , m_resolver(resolver)
{ }

void OAuth2RefreshAuth::apply(HttpRequest &request) const
{
    if (!m_accessToken.isEmpty())
        setHeader(request.headers, "Authorization", "Bearer " + m_accessToken.toUtf8());
}

bool OAuth2RefreshAuth::needsRefresh() const
{
    if (m_accessToken.isEmpty())
        return true;
    return m_expiresAt.isValid() && QDateTime::currentDateTimeUtc() >= m_expiresAt;
}

void OAuth2RefreshAuth::invalidate(int generation)
{
    if (generation == m_generation)
        m_accessToken.clear();
}

void OAuth2RefreshAuth::refresh(HttpTransport &transport, std::function<void(engine::Result<void>)> done)
{
    HttpRequest request;
    request.method = "POST";
    request.url = m_config.tokenUrl;
    request.headers = { { "Content-Type", "application/x-www-form-urlencoded" }, { "Accept", "application/json" } };
    QList<QPair<QString, QString>> fields = { { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), m_config.refreshToken },
        { QStringLiteral("client_id"), m_config.clientId } };
    if (!m_config.clientSecret.isEmpty())
        fields.append({ QStringLiteral("client_secret"), m_config.clientSecret });
    request.body = formEncode(fields);
    transport.send(
        request, [this, done = std::move(done)](const HttpResponse &response) { done(accept(response)); },
        /*record=*/false);
}

engine::Result<void> OAuth2RefreshAuth::accept(const HttpResponse &response)
{
    const QString url = m_config.tokenUrl.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    if (!response.answered())
        return engine::fail(QStringLiteral("auth.refresh"),
            QStringLiteral("The OAuth token URL %1 of %2 did not answer (%3); the run stops and its rows are sent "
                           "again next time")
                .arg(url, m_config.where, response.summary()),
            true);
    const QJsonObject json = QJsonDocument::fromJson(response.body).object();
    if (!response.isSuccess() || json.value(QStringLiteral("access_token")).toString().isEmpty()) {
        // The provider's error code (e.g. invalid_grant) helps and is not a secret; the body may be.
        const QString reason = json.value(QStringLiteral("error")).toString();
        return engine::fail(QStringLiteral("auth.refresh"),
            QStringLiteral("The OAuth token URL %1 of %2 refused the refresh token (HTTP %3%4); connect the "
                           "account again to get a new refresh token")
                .arg(url, m_config.where)
                .arg(response.status)
                .arg(reason.isEmpty() ? QString() : QStringLiteral(", ") + reason.left(60)),
            response.status >= 500 || response.status == 429,
            { { QStringLiteral("http_status"), QString::number(response.status) } });
    }
    if (m_config.onToken)
        if (auto seen = m_config.onToken(json); !seen)
            return seen;
    m_accessToken = json.value(QStringLiteral("access_token")).toString();
    ++m_generation;
    const qint64 lifetime = qint64(json.value(QStringLiteral("expires_in")).toDouble(0));
    if (lifetime > 0) {
        const qint64 margin = std::min(refreshMarginSeconds, lifetime / 2);
        m_expiresAt = QDateTime::currentDateTimeUtc().addSecs(lifetime - margin);
    } else {
        m_expiresAt = {};
    }
    const QString rotated = json.value(QStringLiteral("refresh_token")).toString();
    if (!rotated.isEmpty() && rotated != m_config.refreshToken) {
        m_config.refreshToken = rotated;
        auto stored = m_resolver ? m_resolver->store(m_config.refreshTokenRef, rotated)
                                 : engine::fail(QStringLiteral("secret.read_only"), QStringLiteral("no secret store"));
        if (!stored && m_diagnostics)
            m_diagnostics->report(engine::Severity::Warning, m_config.where,
                QStringLiteral("The OAuth provider issued a new refresh token, but it could not be saved: %1. "
                               "This run uses the new token; the next run will fail to authenticate until the "
                               "account is connected again.")
                    .arg(stored.error().message));
    }
    return {};
}

} // namespace syncline::connectors::http
