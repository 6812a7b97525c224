// The http destination's settings and static credentials: bearer tokens, API keys in a header or
// a query parameter, basic authentication, and bad settings refused with the destination's and the
// setting's names.

#include "fakeapiharness.h"

using namespace syncline::httptests;

class TestHttpSettings : public QObject
{
    Q_OBJECT

private slots:
    void aStaticTokenIsSentAsBearer()
    {
        Harness harness;
        harness.secrets.values.insert(QStringLiteral("crm"), QStringLiteral("s3cret-token"));
        auto destination = harness.open({}, { { QStringLiteral("token"), keychain(QStringLiteral("crm")) } });
        harness.deliver(*destination, upserts(1));
        QCOMPARE(harness.api.requests().first().header("Authorization"), QByteArray("Bearer s3cret-token"));
    }

    void anApiKeyGoesInTheNamedHeaderOrQueryParameter()
    {
        Harness harness;
        harness.secrets.values.insert(QStringLiteral("key"), QStringLiteral("k&y=1"));
        auto inHeader = harness.open({ { QStringLiteral("api_key_header"), QStringLiteral("X-Key") } },
            { { QStringLiteral("api_key"), keychain(QStringLiteral("key")) } });
        harness.deliver(*inHeader, upserts(1));
        QCOMPARE(harness.api.requests().last().header("X-Key"), QByteArray("k&y=1"));
        auto inQuery = harness.open({ { QStringLiteral("api_key_query"), QStringLiteral("apikey") } },
            { { QStringLiteral("api_key"), keychain(QStringLiteral("key")) } });
        harness.deliver(*inQuery, upserts(1));
        QCOMPARE(harness.api.requests().last().path, QByteArray("/records?apikey=k%26y%3D1"));
    }

    void basicAuthSendsUserAndPassword()
    {
        Harness harness;
        harness.secrets.values.insert(QStringLiteral("u"), QStringLiteral("ann"));
        harness.secrets.values.insert(QStringLiteral("p"), QStringLiteral("pw"));
        auto destination = harness.open({},
            { { QStringLiteral("username"), keychain(QStringLiteral("u")) },
                { QStringLiteral("password"), keychain(QStringLiteral("p")) } });
        harness.deliver(*destination, upserts(1));
        QCOMPARE(harness.api.requests().first().header("Authorization"), "Basic " + QByteArray("ann:pw").toBase64());
    }

    void badSettingsAreRefusedNamingTheDestinationAndTheSetting_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("named");
        QTest::newRow("rate") << "rate_limit" << QVariant(QStringLiteral("20/fortnight")) << "'rate_limit'";
        QTest::newRow("timeout") << "timeout" << QVariant(QStringLiteral("soon")) << "'timeout'";
        QTest::newRow("batch") << "batch_size" << QVariant(0) << "'batch_size'";
        QTest::newRow("unknown") << "batchsize" << QVariant(5) << "'batchsize'";
        QTest::newRow("headers") << "headers" << QVariant(QStringLiteral("X-Team")) << "'headers'";
        QTest::newRow("operation") << "operations"
                                   << QVariant(QVariantMap { { QStringLiteral("upsert"),
                                          QVariantMap { { QStringLiteral("methd"), QStringLiteral("PUT") } } } })
                                   << "'operations.upsert.methd'";
        QTest::newRow("errors_path") << "operations"
                                     << QVariant(QVariantMap { { QStringLiteral("upsert"),
                                            QVariantMap {
                                                { QStringLiteral("errors_path"), QStringLiteral("results[[x") } } } })
                                     << "'operations.upsert.errors_path'";
        QTest::newRow("op name") << "operations"
                                 << QVariant(QVariantMap { { QStringLiteral("upsret"), QVariantMap {} } })
                                 << "'operations.upsret'";
    }

    void badSettingsAreRefusedNamingTheDestinationAndTheSetting()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(QString, named);
        MapSecrets secrets;
        auto destination = httpDestination(QUrl(QStringLiteral("https://api.example.com/people")), { { key, value } });
        auto created = HttpDestination::connectorType(std::make_shared<RateLimiterPool>()).create(destination, secrets);
        QVERIFY(!created);
        QCOMPARE(created.error().code, QStringLiteral("http.settings"));
        QVERIFY2(created.error().message.contains(QStringLiteral("'crm-api'")), qPrintable(created.error().message));
        QVERIFY2(created.error().message.contains(named), qPrintable(created.error().message));
    }

    void aMissingBaseUrlIsRefused()
    {
        MapSecrets secrets;
        DestinationDef destination;
        destination.name = QStringLiteral("crm-api");
        destination.type = QStringLiteral("http");
        auto created = HttpDestination::connectorType(std::make_shared<RateLimiterPool>()).create(destination, secrets);
        QVERIFY(!created);
        QVERIFY2(created.error().message.contains(QStringLiteral("'base_url' is missing")),
            qPrintable(created.error().message));
    }
};

QTEST_GUILESS_MAIN(TestHttpSettings)
#include "tst_httpsettings.moc"
