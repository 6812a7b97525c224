// Secret references resolve from the environment or the OS keychain (a real Secret Service in CI),
// and a missing secret says which variable or entry to provide, never a value.
#include "engine/secrets/cachingsecretresolver.h"
#include "engine/secrets/compositesecretresolver.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/secrets/keychainsecretresolver.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QTest>
#include <QUuid>

using namespace syncline::engine;
using namespace syncline::engine::secrets;

namespace {

// A resolver that answers with a marker, to see where the composite sends a reference.
class MarkerResolver : public SecretResolver
{
public:
    explicit MarkerResolver(QString marker)
        : m_marker(std::move(marker))
    { }
    Result<QString> resolve(const SecretRef &ref) override { return m_marker + QLatin1Char(':') + ref.name; }

private:
    QString m_marker;
};

// Counts how often it is asked, like a keychain that may prompt each time.
class CountingResolver : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &ref) override
    {
        ++reads;
        if (ref.name == QLatin1String("missing"))
            return fail(QStringLiteral("secret.missing"), QStringLiteral("no such secret"));
        return QStringLiteral("value-of-") + ref.name;
    }
    Result<void> store(const SecretRef &, const QString &) override
    {
        ++writes;
        return {};
    }
    int reads = 0;
    int writes = 0;
};

QString secretServiceMissingReason()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return QStringLiteral("no D-Bus session bus (run inside scripts/test-services.sh with_keyring)");
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    if (!bus || !bus->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")).value())
        return QStringLiteral(
            "no Secret Service on the session bus (run inside scripts/test-services.sh with_keyring)");
    return {};
}

} // namespace

class TestSecretResolvers : public QObject
{
    Q_OBJECT

private slots:
    void envReferenceReadsTheVariable()
    {
        qputenv("SYNCLINE_TEST_SECRET_PRESENT", "hunter2");
        EnvSecretResolver resolver;
        auto value
            = resolver.resolve(SecretRef { SecretRef::Kind::Env, QStringLiteral("SYNCLINE_TEST_SECRET_PRESENT") });
        QVERIFY(value);
        QCOMPARE(*value, QStringLiteral("hunter2"));
    }

    void missingVariableSaysWhichToSet()
    {
        qunsetenv("SYNCLINE_TEST_SECRET_ABSENT");
        EnvSecretResolver resolver;
        auto value
            = resolver.resolve(SecretRef { SecretRef::Kind::Env, QStringLiteral("SYNCLINE_TEST_SECRET_ABSENT") });
        QVERIFY(!value);
        QCOMPARE(value.error().code, QStringLiteral("secret.missing"));
        QVERIFY(value.error().message.contains(QStringLiteral("SYNCLINE_TEST_SECRET_ABSENT is not set")));
        QVERIFY(value.error().message.contains(QStringLiteral("export SYNCLINE_TEST_SECRET_ABSENT=")));
    }

    void compositeDispatchesByKind()
    {
        MarkerResolver env(QStringLiteral("env"));
        MarkerResolver keychain(QStringLiteral("keychain"));
        CompositeSecretResolver resolver(env, keychain);
        QCOMPARE(*resolver.resolve(SecretRef { SecretRef::Kind::Env, QStringLiteral("A") }), QStringLiteral("env:A"));
        QCOMPARE(*resolver.resolve(SecretRef { SecretRef::Kind::Keychain, QStringLiteral("B") }),
            QStringLiteral("keychain:B"));
        QCOMPARE(*resolver.resolve(SecretRef {}), QString());
    }

    void aRunReadsEachSecretOnceAndScrubsWhatItRead()
    {
        CountingResolver keychain;
        CachingSecretResolver run(keychain);
        const SecretRef token { SecretRef::Kind::Keychain, QStringLiteral("token") };
        const SecretRef missing { SecretRef::Kind::Keychain, QStringLiteral("missing") };
        QCOMPARE(*run.resolve(token), QStringLiteral("value-of-token"));
        QCOMPARE(*run.resolve(token), QStringLiteral("value-of-token"));
        QVERIFY(!run.resolve(missing));
        QVERIFY(!run.resolve(missing));
        QCOMPARE(keychain.reads, 2);
        // A rotated value is written through and used (and scrubbed) from then on.
        QVERIFY(run.store(token, QStringLiteral("rotated")));
        QCOMPARE(keychain.writes, 1);
        QCOMPARE(*run.resolve(token), QStringLiteral("rotated"));
        QCOMPARE(keychain.reads, 2);
        QCOMPARE(run.values(), QStringList { QStringLiteral("rotated") });
    }

    void keychainStoresResolvesAndDeletes()
    {
        if (const QString reason = secretServiceMissingReason(); !reason.isEmpty())
            QSKIP(qPrintable(reason));
        KeychainSecretResolver keychain;
        QCOMPARE(keychain.service(), QStringLiteral("Syncline"));
        const QString entry = QStringLiteral("tst-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString secret = QStringLiteral("pä$$wörd;with=odd chars");
        auto stored = keychain.store(entry, secret);
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));

        EnvSecretResolver env;
        CompositeSecretResolver resolver(env, keychain);
        auto value = resolver.resolve(SecretRef { SecretRef::Kind::Keychain, entry });
        QVERIFY2(value, qPrintable(value ? QString() : value.error().message));
        QCOMPARE(*value, secret);

        QVERIFY(keychain.store(entry, QStringLiteral("rotated")));
        QCOMPARE(*keychain.resolve(SecretRef { SecretRef::Kind::Keychain, entry }), QStringLiteral("rotated"));

        QVERIFY(keychain.remove(entry));
        auto gone = keychain.resolve(SecretRef { SecretRef::Kind::Keychain, entry });
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, QStringLiteral("secret.missing"));
        QVERIFY(gone.error().message.contains(entry));
        QVERIFY(!gone.error().message.contains(QStringLiteral("rotated")));
        QVERIFY(keychain.remove(entry)); // removing twice is fine
    }
};

QTEST_GUILESS_MAIN(TestSecretResolvers)
#include "tst_secretresolvers.moc"
