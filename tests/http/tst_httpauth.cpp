// Destination credentials over real loopback HTTP: the OAuth 2.0 refresh-token flow (refresh
// before the first request and at expiry, once after a 401, rotated refresh tokens saved through
// the resolver or reported when they cannot be), and credentials the API refuses. The server is a
// small QTcpServer in the test's thread: deliver() runs a local event loop that serves it too.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include "httptestsupport.h"

using namespace syncline::httptests;
using syncline::connectors::http::HttpDestination;
using syncline::connectors::http::RateLimiterPool;

namespace {

// An API behind OAuth: POST /token trades the current refresh token for an access token (and a
// rotated refresh token when `rotate`); POST /records accepts a JSON array with a valid token.
class OAuthApi : public QObject
{
public:
    QString refreshToken = QStringLiteral("r0");
    QString accessToken;
    bool rotate = true;
    int expiresIn = 3600;
    int tokenRequests = 0;
    int apiRequests = 0;
    int unauthorized = 0;
    int recordsStored = 0;
    QStringList refreshTokensPresented;

    OAuthApi()
    {
        if (!m_server.listen(QHostAddress::LocalHost))
            qFatal("cannot listen");
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    void revokeAccessToken() { accessToken = QStringLiteral("revoked"); }

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        qsizetype length = 0;
        QByteArray authorization;
        for (const QByteArray &line : lines) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            if (name == "content-length")
                length = line.mid(colon + 1).trimmed().toLongLong();
            if (name == "authorization")
                authorization = line.mid(colon + 1).trimmed();
        }
        if (buffer.size() < end + 4 + length)
            return;
        const QByteArray body = buffer.mid(end + 4, length);
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        buffer.remove(0, end + 4 + length);
        const QByteArray path = requestLine.value(1);

        int status = 200;
        QJsonDocument reply;
        if (path == "/token") {
            ++tokenRequests;
            const QUrlQuery form(QString::fromUtf8(body));
            const QString presented = form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded);
            refreshTokensPresented << presented;
            if (form.queryItemValue(QStringLiteral("grant_type")) != QLatin1String("refresh_token")
                || presented != refreshToken
                || form.queryItemValue(QStringLiteral("client_id")) != QLatin1String("app")) {
                status = 400;
                reply = QJsonDocument(QJsonObject { { QStringLiteral("error"), QStringLiteral("invalid_grant") } });
            } else {
                accessToken = QStringLiteral("a%1").arg(tokenRequests);
                QJsonObject answer { { QStringLiteral("access_token"), accessToken },
                    { QStringLiteral("token_type"), QStringLiteral("bearer") },
                    { QStringLiteral("expires_in"), expiresIn } };
                if (rotate) {
                    refreshToken = QStringLiteral("r%1").arg(tokenRequests);
                    answer.insert(QStringLiteral("refresh_token"), refreshToken);
                }
                reply = QJsonDocument(answer);
            }
        } else {
            ++apiRequests;
            if (authorization != "Bearer " + accessToken.toUtf8()) {
                ++unauthorized;
                status = 401;
                reply = QJsonDocument(QJsonObject { { QStringLiteral("message"), QStringLiteral("token expired") } });
            } else {
                recordsStored += int(QJsonDocument::fromJson(body).array().size());
                reply = QJsonDocument(QJsonObject { { QStringLiteral("ok"), true } });
            }
        }
        const QByteArray json = reply.toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 " + QByteArray::number(status)
            + " X\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n\r\n"
            + json);
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

struct OAuthHarness
{
    OAuthApi api;
    MapSecrets secrets;
    KeepingDiagnostics diagnostics;
    KeepingRecorder recorder;
    std::shared_ptr<RateLimiterPool> pool = std::make_shared<RateLimiterPool>();

    OAuthHarness()
    {
        secrets.values.insert(QStringLiteral("crm-client-id"), QStringLiteral("app"));
        secrets.values.insert(QStringLiteral("crm-client-secret"), QStringLiteral("client-s3cret"));
        secrets.values.insert(QStringLiteral("crm-refresh"), QStringLiteral("r0"));
    }

    Result<std::unique_ptr<Connector>> open()
    {
        DestinationDef destination = httpDestination(api.url(QStringLiteral("/records")),
            { { QStringLiteral("token_url"), api.url(QStringLiteral("/token")).toString() } });
        destination.secrets = { { QStringLiteral("client_id"), keychain(QStringLiteral("crm-client-id")) },
            { QStringLiteral("client_secret"), keychain(QStringLiteral("crm-client-secret")) },
            { QStringLiteral("refresh_token"), keychain(QStringLiteral("crm-refresh")) } };
        auto created = HttpDestination::connectorType(pool).create(destination, secrets);
        if (created) {
            RunContext context;
            context.matchField = QStringLiteral("id");
            context.diagnostics = &diagnostics;
            context.exchanges = &recorder;
            (*created)->setRunContext(context);
            (void)(*created)->beginRun(QStringLiteral("people"));
        }
        return created;
    }
};

} // namespace

class TestHttpAuth : public QObject
{
    Q_OBJECT

private slots:
    void refreshesBeforeTheFirstRequestAndSavesTheRotatedToken()
    {
        OAuthHarness harness;
        auto destination = harness.open();
        QVERIFY(destination);
        auto outcomes = (*destination)->deliver(Batch { QStringLiteral("people"), upserts(3) }, CancellationToken());
        QVERIFY(outcomes);
        QCOMPARE(acceptedCount(*outcomes), 3);
        QCOMPARE(harness.api.tokenRequests, 1);
        QCOMPARE(harness.api.apiRequests, 1);
        QCOMPARE(harness.api.recordsStored, 3);
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("crm-refresh")), QStringLiteral("r1"));
        QVERIFY(harness.diagnostics.warnings.isEmpty());
        // The token exchange (all secrets) never reaches the inspector; the API call does.
        QCOMPARE(int(harness.recorder.exchanges.size()), 1);
        QVERIFY(harness.recorder.exchanges.front().url.endsWith(QStringLiteral("/records")));
        QVERIFY(!harness.recorder.exchanges.front().requestBody.contains("client-s3cret"));
    }

    void refreshesAgainOnceTheTokenExpired()
    {
        OAuthHarness harness;
        harness.api.expiresIn = 1;
        auto destination = harness.open();
        QVERIFY(destination);
        QVERIFY((*destination)->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken()));
        QCOMPARE(harness.api.tokenRequests, 1);
        QTest::qWait(1100); // past expires_in: the next request needs a new token
        auto outcomes = (*destination)->deliver(Batch { QStringLiteral("people"), upserts(2, 2) }, CancellationToken());
        QVERIFY(outcomes);
        QCOMPARE(acceptedCount(*outcomes), 2);
        QCOMPARE(harness.api.tokenRequests, 2);
        QCOMPARE(harness.api.unauthorized, 0);
        // The second refresh presented the token the first one rotated in.
        QCOMPARE(harness.api.refreshTokensPresented, (QStringList { QStringLiteral("r0"), QStringLiteral("r1") }));
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("crm-refresh")), QStringLiteral("r2"));
    }

    void a401RefreshesTheTokenAndRetriesTheRequestOnce()
    {
        OAuthHarness harness;
        auto destination = harness.open();
        QVERIFY(destination);
        QVERIFY((*destination)->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken()));
        harness.api.revokeAccessToken();
        auto outcomes = (*destination)->deliver(Batch { QStringLiteral("people"), upserts(2, 2) }, CancellationToken());
        QVERIFY(outcomes);
        QCOMPARE(acceptedCount(*outcomes), 2);
        QCOMPARE(harness.api.unauthorized, 1);
        QCOMPARE(harness.api.tokenRequests, 2);
        QCOMPARE(harness.api.apiRequests, 3);
        QCOMPARE(harness.api.recordsStored, 4);
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("crm-refresh")), QStringLiteral("r2"));
    }

    void aRotatedTokenThatCannotBeSavedIsReportedAndStillUsed()
    {
        OAuthHarness harness;
        harness.secrets.storeFails = true;
        auto destination = harness.open();
        QVERIFY(destination);
        QVERIFY((*destination)->deliver(Batch { QStringLiteral("people"), upserts(1) }, CancellationToken()));
        QCOMPARE(harness.diagnostics.warnings.size(), 1);
        QVERIFY2(harness.diagnostics.warnings.first().contains(QStringLiteral("environment variable")),
            qPrintable(harness.diagnostics.warnings.first()));
        QVERIFY(!harness.diagnostics.warnings.first().contains(QStringLiteral("r1")));
        // A later 401 refreshes with the new (unsaved) refresh token, which the provider now expects.
        harness.api.revokeAccessToken();
        auto outcomes = (*destination)->deliver(Batch { QStringLiteral("people"), upserts(1, 1) }, CancellationToken());
        QVERIFY(outcomes);
        QCOMPARE(acceptedCount(*outcomes), 1);
        QCOMPARE(harness.api.refreshTokensPresented, (QStringList { QStringLiteral("r0"), QStringLiteral("r1") }));
    }

    void aRefusedRefreshTokenFailsTheBatchWithoutShowingSecrets()
    {
        OAuthHarness harness;
        harness.api.refreshToken = QStringLiteral("something-else");
        auto destination = harness.open();
        QVERIFY(destination);
        auto outcomes = (*destination)->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken());
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("auth.refresh"));
        QVERIFY2(
            outcomes.error().message.contains(QStringLiteral("invalid_grant")), qPrintable(outcomes.error().message));
        QVERIFY2(outcomes.error().message.contains(QStringLiteral("'crm-api'")), qPrintable(outcomes.error().message));
        for (const char *secret : { "r0", "client-s3cret", "app" })
            QVERIFY(!outcomes.error().message.contains(QLatin1String(secret)));
        QCOMPARE(harness.api.apiRequests, 0);
    }

    void aRefusedStaticTokenFailsTheBatch()
    {
        OAuthApi api;
        MapSecrets secrets;
        secrets.values.insert(QStringLiteral("crm"), QStringLiteral("wrong-token"));
        DestinationDef destination = httpDestination(api.url(QStringLiteral("/records")));
        destination.secrets = { { QStringLiteral("token"), keychain(QStringLiteral("crm")) } };
        auto created = HttpDestination::connectorType(std::make_shared<RateLimiterPool>()).create(destination, secrets);
        QVERIFY(created);
        auto outcomes = (*created)->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken());
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("auth.refused"));
        QVERIFY(!outcomes.error().retryable);
        QVERIFY(!outcomes.error().message.contains(QStringLiteral("wrong-token")));
        QCOMPARE(api.apiRequests, 1);
    }

    void aMissingSecretNamesTheReference()
    {
        MapSecrets secrets;
        DestinationDef destination = httpDestination(QUrl(QStringLiteral("https://api.example.com/people")));
        destination.secrets = { { QStringLiteral("token"), keychain(QStringLiteral("nowhere")) } };
        auto created = HttpDestination::connectorType(std::make_shared<RateLimiterPool>()).create(destination, secrets);
        QVERIFY(!created);
        QCOMPARE(created.error().code, QStringLiteral("secret.missing"));
        QVERIFY(created.error().message.contains(QStringLiteral("nowhere")));
    }

    void twoSchemesAtOnceAreRefused()
    {
        MapSecrets secrets;
        DestinationDef destination = httpDestination(QUrl(QStringLiteral("https://api.example.com/people")));
        destination.secrets = { { QStringLiteral("token"), keychain(QStringLiteral("a")) },
            { QStringLiteral("api_key"), keychain(QStringLiteral("b")) } };
        auto created = HttpDestination::connectorType(std::make_shared<RateLimiterPool>()).create(destination, secrets);
        QVERIFY(!created);
        QCOMPARE(created.error().code, QStringLiteral("http.settings"));
    }
};

QTEST_GUILESS_MAIN(TestHttpAuth)
#include "tst_httpauth.moc"
