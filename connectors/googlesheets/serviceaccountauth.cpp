#include "connectors/googlesheets/serviceaccountauth.h"

#include "connectors/http/httptransport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace syncline::connectors::googlesheets {

namespace {

constexpr qint64 assertionLifetimeSeconds = 3600; // Google's maximum
constexpr qint64 refreshMarginSeconds = 60;

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

engine::Result<ServiceAccountAuth::Key> ServiceAccountAuth::parseKey(const QString &json, const QString &where)
{
    auto invalid = [&](const QString &problem) {
        return engine::fail(QStringLiteral("googlesheets.key"),
            QStringLiteral("%1: the secret service_account %2; paste the whole JSON key file of the service account "
                           "(Google Cloud console, IAM, Service accounts, Keys)")
                .arg(where, problem));
    };
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("is not a JSON object"));
    const QJsonObject object = document.object();
    const QString type = object.value(QStringLiteral("type")).toString();
    if (!type.isEmpty() && type != QLatin1String("service_account"))
        return invalid(QStringLiteral("is a key of type '%1', not 'service_account'").arg(type.left(40)));
    const QString email = object.value(QStringLiteral("client_email")).toString();
    const QString pem = object.value(QStringLiteral("private_key")).toString();
    if (email.isEmpty())
        return invalid(QStringLiteral("has no client_email"));
    if (pem.isEmpty())
        return invalid(QStringLiteral("has no private_key"));
    auto signer = Rs256Signer::fromPem(pem.toUtf8());
    if (!signer) {
        engine::Error failure = signer.error();
        failure.message = where + QStringLiteral(": ") + failure.message;
        return std::unexpected(failure);
    }
    return Key { email, object.value(QStringLiteral("private_key_id")).toString(),
        object.value(QStringLiteral("token_uri")).toString(), std::move(*signer) };
}

ServiceAccountAuth::ServiceAccountAuth(Key key, QUrl tokenUrl, QString scope, QString where)
    : m_key(std::move(key))
    , m_tokenUrl(std::move(tokenUrl))
    , m_scope(std::move(scope))
    , m_where(std::move(where))
{ }

engine::Result<QByteArray> ServiceAccountAuth::assertion(const QDateTime &now) const
{
    QJsonObject header { { QStringLiteral("alg"), QStringLiteral("RS256") },
        { QStringLiteral("typ"), QStringLiteral("JWT") } };
    if (!m_key.privateKeyId.isEmpty())
        header.insert(QStringLiteral("kid"), m_key.privateKeyId);
    const qint64 issuedAt = now.toSecsSinceEpoch();
    const QString audience = m_key.tokenUri.isEmpty() ? m_tokenUrl.toString() : m_key.tokenUri;
    const QJsonObject claims { { QStringLiteral("iss"), m_key.clientEmail }, { QStringLiteral("scope"), m_scope },
        { QStringLiteral("aud"), audience }, { QStringLiteral("iat"), issuedAt },
        { QStringLiteral("exp"), issuedAt + assertionLifetimeSeconds } };
    const QByteArray signingInput = base64Url(compactJson(header)) + '.' + base64Url(compactJson(claims));
    auto signature = m_key.signer.sign(signingInput);
    if (!signature)
        return std::unexpected(signature.error());
    return signingInput + '.' + base64Url(*signature);
}

void ServiceAccountAuth::apply(http::HttpRequest &request) const
{
    if (!m_accessToken.isEmpty())
        http::setHeader(request.headers, "Authorization", "Bearer " + m_accessToken.toUtf8());
}

bool ServiceAccountAuth::needsRefresh() const
{
    return m_accessToken.isEmpty() || (m_expiresAt.isValid() && QDateTime::currentDateTimeUtc() >= m_expiresAt);
}

void ServiceAccountAuth::invalidate(int generation)
{
    if (generation == m_generation)
        m_accessToken.clear();
}

void ServiceAccountAuth::refresh(http::HttpTransport &transport, std::function<void(engine::Result<void>)> done)
{
    auto signed_ = assertion(QDateTime::currentDateTimeUtc());
    if (!signed_) {
        engine::Error failure = signed_.error();
        failure.message = m_where + QStringLiteral(": ") + failure.message;
        // `done` must run from the event loop, never inside refresh().
        QTimer::singleShot(0, [done, failure] { done(std::unexpected(failure)); });
        return;
    }
    http::HttpRequest request;
    request.method = "POST";
    request.url = m_tokenUrl;
    request.headers = { { "Content-Type", "application/x-www-form-urlencoded" }, { "Accept", "application/json" } };
    request.body
        = "grant_type=" + QUrl::toPercentEncoding(QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"))
        + "&assertion=" + QUrl::toPercentEncoding(QString::fromLatin1(*signed_));
    transport.send(
        request, [this, done = std::move(done)](const http::HttpResponse &response) { done(accept(response)); },
        /*record=*/false);
}

engine::Result<void> ServiceAccountAuth::accept(const http::HttpResponse &response)
{
    const QString url = m_tokenUrl.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    if (!response.answered())
        return engine::fail(QStringLiteral("auth.refresh"),
            QStringLiteral("The Google token URL %1 of %2 did not answer (%3); the run stops and its rows are sent "
                           "again next time")
                .arg(url, m_where, response.summary()),
            true);
    const QJsonObject json = QJsonDocument::fromJson(response.body).object();
    if (!response.isSuccess() || json.value(QStringLiteral("access_token")).toString().isEmpty()) {
        // Google's error code (invalid_grant, ...) and its description name the problem, not a secret.
        QString reason = json.value(QStringLiteral("error")).toString();
        const QString description = json.value(QStringLiteral("error_description")).toString();
        if (!description.isEmpty())
            reason += QStringLiteral(": ") + description.left(120);
        return engine::fail(QStringLiteral("auth.refresh"),
            QStringLiteral("The Google token URL %1 of %2 refused the service account's assertion (HTTP %3%4); check "
                           "that the key is current (not deleted in the Cloud console) and the machine's clock is "
                           "right")
                .arg(url, m_where)
                .arg(response.status)
                .arg(reason.isEmpty() ? QString() : QStringLiteral(", ") + reason),
            response.status >= 500 || response.status == 429,
            { { QStringLiteral("http_status"), QString::number(response.status) } });
    }
    m_accessToken = json.value(QStringLiteral("access_token")).toString();
    ++m_generation;
    const qint64 lifetime = qint64(json.value(QStringLiteral("expires_in")).toDouble(0));
    if (lifetime > 0)
        m_expiresAt = QDateTime::currentDateTimeUtc().addSecs(lifetime - std::min(refreshMarginSeconds, lifetime / 2));
    else
        m_expiresAt = {};
    return {};
}

} // namespace syncline::connectors::googlesheets
