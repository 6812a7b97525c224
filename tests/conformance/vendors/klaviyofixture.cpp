#include "tests/conformance/vendors/klaviyofixture.h"

namespace syncline::conformance {

SYNCLINE_CONFORMANCE_VENDOR(klaviyo, KlaviyoFixture);

namespace {

const QString kKey = QStringLiteral("pk_conformance_0123456789abcdef");

} // namespace

KlaviyoFixture::KlaviyoFixture() : m_fake(kKey) { }

FixtureTraits KlaviyoFixture::traits() const
{
    FixtureTraits traits;
    traits.refreshesTokens = false;
    traits.noRefreshReason = QStringLiteral(
        "Klaviyo private API keys do not expire; a revoked key gives a non-retryable auth.refused naming the secret "
        "'api_key' (tst_klaviyoconnector::aRevokedKeyStopsWithAnErrorNamingTheSecret)");
    return traits;
}

engine::DestinationDef KlaviyoFixture::destination(const QUrl &apiBase) const
{
    engine::DestinationDef destination;
    destination.name = QStringLiteral("klaviyo");
    destination.type = QStringLiteral("klaviyo");
    destination.settings = { { QStringLiteral("base_url"), apiBase.toString() },
        { QStringLiteral("bulk_threshold"), 20 }, { QStringLiteral("bulk_size"), 40 },
        { QStringLiteral("concurrency"), 2 }, { QStringLiteral("poll_interval"), QStringLiteral("50ms") },
        { QStringLiteral("retry_delay"), QStringLiteral("100ms") }, { QStringLiteral("timeout"), QStringLiteral("20s") } };
    using Ref = engine::SecretRef;
    destination.secrets = { { QStringLiteral("api_key"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_KLAVIYO_API_KEY") } } };
    return destination;
}

QHash<QString, QString> KlaviyoFixture::secretEnvironment() const
{
    return { { QStringLiteral("SYNCLINE_CONF_KLAVIYO_API_KEY"), kKey } };
}

SyncShape KlaviyoFixture::sync() const
{
    SyncShape shape;
    shape.object = QStringLiteral("profiles");
    shape.matchColumn = QStringLiteral("email");
    shape.matchField = QStringLiteral("email");
    shape.mapping = { { QStringLiteral("first_name"), QStringLiteral("first_name") },
        { QStringLiteral("last_name"), QStringLiteral("last_name") }, { QStringLiteral("score"), QStringLiteral("score") } };
    shape.onRemoved = engine::RemovedRowAction::Clear; // no row-level delete in Klaviyo's profile API
    return shape;
}

FakeRecords KlaviyoFixture::records() const
{
    FakeRecords out;
    const auto profiles = m_fake.profiles(QStringLiteral("email"));
    for (auto it = profiles.cbegin(); it != profiles.cend(); ++it) {
        QHash<QString, QString> fields { { QStringLiteral("email"), it.key() } };
        for (const QString &name : { QStringLiteral("first_name"), QStringLiteral("last_name") }) {
            if (it->contains(name))
                fields.insert(name, it->value(name).toString());
        }
        const QJsonObject properties = it->value(QStringLiteral("properties")).toObject();
        for (auto property = properties.begin(); property != properties.end(); ++property)
            fields.insert(property.key(), property.value().toVariant().toString());
        out.insert(it.key(), fields);
    }
    return out;
}

FakeCounters KlaviyoFixture::counters() const
{
    return FakeCounters { m_fake.writeRequests(), m_fake.rateLimitedCount(), m_fake.unauthorizedCount(), 0 };
}

void KlaviyoFixture::rejectRecords(const QSet<QString> &matchValues)
{
    m_fake.failIdentifiers(QStringList(matchValues.begin(), matchValues.end()));
}

QList<MalformedRequest> KlaviyoFixture::malformedRequests() const
{
    const QList<QPair<QByteArray, QByteArray>> headers { { "Content-Type", "application/vnd.api+json" },
        { "Accept", "application/vnd.api+json" }, { "revision", "2026-07-15" },
        { "Authorization", "Klaviyo-API-Key " + kKey.toUtf8() } };
    return {
        { QStringLiteral("bulk import: profiles.data is an object"), "POST", QStringLiteral("/api/profile-bulk-import-jobs"),
            headers,
            R"({"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":{"type":"profile","attributes":{"email":"a@example.com"}}}}}})" },
        { QStringLiteral("bulk import: wrong data.type"), "POST", QStringLiteral("/api/profile-bulk-import-jobs"), headers,
            R"({"data":{"type":"profile-import-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"a@example.com"}}]}}}})" },
        { QStringLiteral("profile import: first_name is a number"), "POST", QStringLiteral("/api/profile-import"), headers,
            R"({"data":{"type":"profile","attributes":{"email":"a@example.com","first_name":7}}})" },
        { QStringLiteral("profile import (clear): meta.patch_properties.unset is a number"), "POST",
            QStringLiteral("/api/profile-import"), headers,
            R"({"data":{"type":"profile","attributes":{"email":"a@example.com"},"meta":{"patch_properties":{"unset":5}}}})" },
    };
}

} // namespace syncline::conformance
