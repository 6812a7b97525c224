#pragma once
// A Google service account's OAuth 2.0 JWT bearer grant (RFC 7523): signs an RS256 assertion
// {iss: client_email, scope, aud, iat, exp = iat + 1 h} with the JSON key's private key
// (Rs256Signer, OpenSSL), trades it at the token URL for an access token, sends that as
// "Authorization: Bearer", and mints a new one before it expires and after a 401.
// The audience is the key's token_uri (Google's token endpoint) unless the key has none; the
// request goes to the destination's token_url, so a proxy or a test fake can stand in.
// Thread: the run's thread. Failure: "auth.refresh" naming the token URL and status, never a secret.

#include "connectors/googlesheets/rs256signer.h"
#include "connectors/http/httpauth.h"

#include <QDateTime>
#include <QUrl>

namespace syncline::connectors::googlesheets {

class ServiceAccountAuth final : public http::HttpAuth
{
public:
    struct Key
    {
        QString clientEmail;
        QString privateKeyId; // the JWT's "kid", when the key names one
        QString tokenUri; // the key's token_uri, the assertion's audience
        Rs256Signer signer;
    };
    // Reads the JSON key file's content (type service_account, client_email, private_key).
    // `where` ("destination 'ops-sheet'") starts every message.
    static engine::Result<Key> parseKey(const QString &json, const QString &where);

    ServiceAccountAuth(Key key, QUrl tokenUrl, QString scope, QString where);

    // The signed assertion for a token requested at `now` (for tests: its parts can be checked).
    engine::Result<QByteArray> assertion(const QDateTime &now) const;

    void apply(http::HttpRequest &request) const override;
    QByteArray identity() const override { return m_key.clientEmail.toUtf8(); }
    QString schemeName() const override { return QStringLiteral("Google service account"); }
    bool canRefresh() const override { return true; }
    bool needsRefresh() const override;
    int generation() const override { return m_generation; }
    void invalidate(int generation) override;
    void refresh(http::HttpTransport &transport, std::function<void(engine::Result<void>)> done) override;

    QDateTime expiresAt() const { return m_expiresAt; }

private:
    engine::Result<void> accept(const http::HttpResponse &response);

    Key m_key;
    QUrl m_tokenUrl;
    QString m_scope;
    QString m_where;
    QString m_accessToken;
    QDateTime m_expiresAt;
    int m_generation = 0;
};

} // namespace syncline::connectors::googlesheets
