#pragma once
// The OAuth 2.0 refresh-token flow (RFC 6749 section 6): trades the refresh token for an access
// token at `tokenUrl`, sends it as "Authorization: Bearer", refreshes it before it expires
// (expires_in, less a margin) and after a 401. When the provider rotates the refresh token, the
// new one is saved at once through SecretResolver::store(); if that fails (an env reference),
// a warning goes to the diagnostics sink and the new token is still used for this run.
// Thread: the run's thread. The resolver and sink must outlive the object.

#include "connectors/http/httpauth.h"
#include "engine/core/diagnosticsink.h"
#include "engine/definitions/definitions.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

namespace syncline::engine {
class SecretResolver;
}

namespace syncline::connectors::http {

class OAuth2RefreshAuth final : public HttpAuth
{
public:
    struct Config
    {
        QUrl tokenUrl;
        QString clientId;
        QString clientSecret;
        QString refreshToken;
        engine::SecretRef refreshTokenRef; // where a rotated refresh token is saved
        QString where; // "destination 'crm-api'", for messages
        // Optional: sees every accepted token response (e.g. Salesforce's instance_url, the API's
        // base); an Error fails the refresh. Runs in the run's thread, before requests resume.
        std::function<engine::Result<void>(const QJsonObject &)> onToken;
    };
    OAuth2RefreshAuth(Config config, engine::SecretResolver *resolver);

    void apply(HttpRequest &request) const override;
    QByteArray identity() const override { return m_config.clientId.toUtf8() + '@' + m_config.tokenUrl.toEncoded(); }
    QString schemeName() const override { return QStringLiteral("OAuth 2.0"); }
    void setDiagnostics(engine::DiagnosticSink *sink) override { m_diagnostics = sink; }
    bool canRefresh() const override { return true; }
    bool needsRefresh() const override;
    int generation() const override { return m_generation; }
    void invalidate(int generation) override;
    void refresh(HttpTransport &transport, std::function<void(engine::Result<void>)> done) override;

    // For tests: when the current access token expires (invalid when there is none).
    QDateTime expiresAt() const { return m_expiresAt; }

private:
    engine::Result<void> accept(const HttpResponse &response);

    Config m_config;
    engine::SecretResolver *m_resolver = nullptr;
    engine::DiagnosticSink *m_diagnostics = nullptr;
    QString m_accessToken;
    QDateTime m_expiresAt;
    int m_generation = 0;
};

} // namespace syncline::connectors::http
