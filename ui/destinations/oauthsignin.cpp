#include "ui/destinations/oauthsignin.h"

#include <QDesktopServices>
#include <QHostAddress>
#include <QOAuth2AuthorizationCodeFlow>
#include <QUrlQuery>
#include <QOAuthHttpServerReplyHandler>

namespace syncline::ui {

OAuthSignIn::OAuthSignIn(Request request, BrowserOpener openBrowser, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_openBrowser(openBrowser ? std::move(openBrowser) : BrowserOpener([](const QUrl &url) { QDesktopServices::openUrl(url); }))
{
}

OAuthSignIn::~OAuthSignIn()
{
    if (m_handler)
        m_handler->close();
}

bool OAuthSignIn::isOAuthSchema(const QStringList &secretKeys, const QStringList &settingKeys)
{
    return secretKeys.contains(QStringLiteral("client_id")) && secretKeys.contains(QStringLiteral("refresh_token"))
        && (settingKeys.contains(QStringLiteral("token_url")) || settingKeys.contains(QStringLiteral("authorize_url")));
}

QUrl OAuthSignIn::redirectUri() const
{
    return m_handler ? QUrl(m_handler->callback()) : QUrl();
}

void OAuthSignIn::start()
{
    if (!m_request.authorizeUrl.isValid() || m_request.authorizeUrl.host().isEmpty())
        return finish(false, {}, tr("Give the address of the sign-in page (the authorization URL) first."));
    if (!m_request.tokenUrl.isValid() || m_request.tokenUrl.host().isEmpty())
        return finish(false, {}, tr("Give the OAuth token URL first."));
    if (m_request.clientId.isEmpty())
        return finish(false, {}, tr("Give the OAuth client id first."));
    // Loopback only: the redirect carries the code, so nothing off this computer may answer it.
    m_handler = new QOAuthHttpServerReplyHandler(QHostAddress(QHostAddress::LocalHost), 0, this);
    if (!m_handler->isListening())
        return finish(false, {}, tr("Could not listen for the sign-in on a loopback port."));
    m_handler->setCallbackText(tr("Signed in. You can close this tab and return to Syncline."));
    m_flow = new QOAuth2AuthorizationCodeFlow(this);
    // Qt replaces the sign-in page's query with its own parameters: parameters the provider needs
    // on that page (Google's access_type=offline) are given in its URL and added back here.
    QUrl authorizeUrl = m_request.authorizeUrl;
    const QUrlQuery extraParameters(authorizeUrl);
    authorizeUrl.setQuery(QString());
    m_flow->setAuthorizationUrl(authorizeUrl);
    m_flow->setModifyParametersFunction(
        [extraParameters](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *parameters) {
            if (stage != QAbstractOAuth::Stage::RequestingAuthorization)
                return;
            for (const auto &[name, value] : extraParameters.queryItems(QUrl::FullyDecoded))
                parameters->replace(name, value);
        });
    m_flow->setAccessTokenUrl(m_request.tokenUrl);
    m_flow->setClientIdentifier(m_request.clientId);
    m_flow->setClientIdentifierSharedKey(m_request.clientSecret);
    if (!m_request.scope.isEmpty())
        m_flow->setScope(m_request.scope);
    m_flow->setReplyHandler(m_handler);
    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) { m_openBrowser(url); });
    connect(m_flow, &QAbstractOAuth::granted, this, [this] {
        const QString refreshToken = m_flow->refreshToken();
        if (refreshToken.isEmpty())
            return finish(false, {}, tr("The provider signed you in but sent no refresh token; ask for offline access "
                                        "(for example the scope offline_access) and sign in again."));
        finish(true, refreshToken, tr("Signed in. The refresh token is kept in the system keychain when you save."));
    });
    connect(m_flow, &QAbstractOAuth2::error, this, [this](const QString &error, const QString &description, const QUrl &) {
        finish(false, {}, tr("The provider refused the sign-in: %1").arg(description.isEmpty() ? error : description));
    });
    connect(m_flow, &QAbstractOAuth::requestFailed, this, [this](QAbstractOAuth::Error) {
        finish(false, {}, tr("The token URL did not accept the sign-in code; check the token URL, client id and secret."));
    });
    m_flow->grant();
}

void OAuthSignIn::cancel()
{
    finish(false, {}, tr("Sign-in cancelled."));
}

void OAuthSignIn::finish(bool ok, const QString &refreshToken, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    if (m_handler)
        m_handler->close();
    emit finished(ok, refreshToken, message);
}

} // namespace syncline::ui
