#pragma once

#include <QObject>
#include <QUrl>

#include <functional>

class QOAuth2AuthorizationCodeFlow;
class QOAuthHttpServerReplyHandler;

namespace syncline::ui {

// One OAuth 2.0 sign-in (authorization code flow, Qt Network Authorization): listens for the
// redirect on a free loopback port (127.0.0.1 only), opens the provider's page in the browser,
// exchanges the code at the token URL and reports the refresh token, which the caller keeps in
// the keychain. GUI thread; the network calls are asynchronous. finished() is emitted once.
class OAuthSignIn : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QUrl authorizeUrl;
        QUrl tokenUrl;
        QString clientId;
        QString clientSecret;
        QString scope;
    };
    using BrowserOpener = std::function<void(const QUrl &)>;

    // `openBrowser` defaults to QDesktopServices::openUrl; tests pass a client that follows the redirect.
    explicit OAuthSignIn(Request request, BrowserOpener openBrowser = {}, QObject *parent = nullptr);
    ~OAuthSignIn() override;

    void start();
    void cancel();
    QUrl redirectUri() const; // http://127.0.0.1:PORT/ once started

    // Whether a connector type's schema asks for a refresh token obtained by signing in.
    static bool isOAuthSchema(const QStringList &secretKeys, const QStringList &settingKeys);

signals:
    void finished(bool ok, const QString &refreshToken, const QString &message);

private:
    void finish(bool ok, const QString &refreshToken, const QString &message);

    Request m_request;
    BrowserOpener m_openBrowser;
    QOAuth2AuthorizationCodeFlow *m_flow = nullptr;
    QOAuthHttpServerReplyHandler *m_handler = nullptr;
    bool m_done = false;
};

} // namespace syncline::ui
