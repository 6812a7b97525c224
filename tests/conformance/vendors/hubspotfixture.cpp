#include "tests/conformance/vendors/hubspotfixture.h"

namespace syncline::conformance {

SYNCLINE_CONFORMANCE_VENDOR(hubspot, HubSpotFixture);

engine::DestinationDef HubSpotFixture::destination(const QUrl &apiBase) const
{
    engine::DestinationDef destination;
    destination.name = QStringLiteral("crm");
    destination.type = QStringLiteral("hubspot");
    destination.settings = { { QStringLiteral("base_url"), apiBase.toString() },
        { QStringLiteral("token_url"), m_fake.tokenUrl().toString() }, { QStringLiteral("batch_size"), 20 },
        { QStringLiteral("concurrency"), 2 }, { QStringLiteral("rate_limit"), QStringLiteral("200/s") },
        { QStringLiteral("retry_delay"), QStringLiteral("100ms") },
        { QStringLiteral("timeout"), QStringLiteral("20s") } };
    using Ref = engine::SecretRef;
    destination.secrets
        = { { QStringLiteral("client_id"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_HUBSPOT_CLIENT_ID") } },
              { QStringLiteral("client_secret"),
                  Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_HUBSPOT_CLIENT_SECRET") } },
              { QStringLiteral("refresh_token"),
                  Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_HUBSPOT_REFRESH_TOKEN") } } };
    return destination;
}

QHash<QString, QString> HubSpotFixture::secretEnvironment() const
{
    return { { QStringLiteral("SYNCLINE_CONF_HUBSPOT_CLIENT_ID"), m_fake.config().clientId },
        { QStringLiteral("SYNCLINE_CONF_HUBSPOT_CLIENT_SECRET"), m_fake.config().clientSecret },
        { QStringLiteral("SYNCLINE_CONF_HUBSPOT_REFRESH_TOKEN"), m_fake.config().refreshToken } };
}

SyncShape HubSpotFixture::sync() const
{
    SyncShape shape;
    shape.object = QStringLiteral("contacts");
    shape.matchColumn = QStringLiteral("email");
    shape.matchField = QStringLiteral("email");
    shape.mapping = { { QStringLiteral("first_name"), QStringLiteral("firstname") },
        { QStringLiteral("last_name"), QStringLiteral("lastname") },
        { QStringLiteral("score"), QStringLiteral("score") } };
    shape.onRemoved = engine::RemovedRowAction::Delete; // batch/archive
    return shape;
}

FakeRecords HubSpotFixture::records() const
{
    FakeRecords out;
    const auto stored = m_fake.records(QStringLiteral("contacts"));
    for (const auto &record : stored)
        out.insert(record.properties.value(QStringLiteral("email")), record.properties);
    return out;
}

FakeCounters HubSpotFixture::counters() const
{
    const auto counters = m_fake.counters();
    return FakeCounters { counters.writeRequests, counters.rateLimited, counters.unauthorized, counters.tokenRequests };
}

void HubSpotFixture::rejectRecords(const QSet<QString> &matchValues)
{
    if (matchValues.isEmpty()) {
        m_fake.rejectWhere(nullptr);
        return;
    }
    m_fake.rejectWhere([matchValues](const QString &, const QHash<QString, QString> &properties) {
        return matchValues.contains(properties.value(QStringLiteral("email")).toLower());
    });
}

QList<MalformedRequest> HubSpotFixture::malformedRequests() const
{
    // A bearer token Prism accepts (it checks the scheme only); the fake would never see these.
    const QList<QPair<QByteArray, QByteArray>> headers { { "Content-Type", "application/json" },
        { "Authorization", "Bearer pat-na1-0f6c5b9e-test" } };
    const QString base = QStringLiteral("/crm/v3/objects/contacts/batch/");
    return {
        { QStringLiteral("upsert: property value is a number"), "POST", base + QStringLiteral("upsert"), headers,
            R"({"inputs":[{"idProperty":"email","id":"a@example.com","properties":{"score":7}}]})" },
        { QStringLiteral("upsert: input without id"), "POST", base + QStringLiteral("upsert"), headers,
            R"({"inputs":[{"idProperty":"email","properties":{"firstname":"A"}}]})" },
        { QStringLiteral("update: inputs is an object"), "POST", base + QStringLiteral("update"), headers,
            R"({"inputs":{"id":"51001","properties":{"firstname":"A"}}})" },
        { QStringLiteral("create: input without properties"), "POST", base + QStringLiteral("create"), headers,
            R"({"inputs":[{"objectWriteTraceId":"t1"}]})" },
        { QStringLiteral("archive: empty inputs"), "POST", base + QStringLiteral("archive"), headers,
            R"({"inputs":[]})" },
        { QStringLiteral("read (delete lookup): properties is a string"), "POST", base + QStringLiteral("read"),
            headers, R"({"inputs":[{"id":"a@example.com"}],"idProperty":"email","properties":"email"})" },
    };
}

} // namespace syncline::conformance
