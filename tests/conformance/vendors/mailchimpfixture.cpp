#include "tests/conformance/vendors/mailchimpfixture.h"

namespace syncline::conformance {

SYNCLINE_CONFORMANCE_VENDOR(mailchimp, MailchimpFixture);

namespace {

const QString kKey = QStringLiteral("5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f-us21");
const QString kList = QStringLiteral("aud1");

} // namespace

MailchimpFixture::MailchimpFixture() : m_fake(kKey)
{
    m_fake.addAudience(kList, QStringLiteral("Conformance"),
        { { QStringLiteral("FNAME"), QStringLiteral("First name"), QStringLiteral("text"), false },
            { QStringLiteral("LNAME"), QStringLiteral("Last name"), QStringLiteral("text"), false },
            { QStringLiteral("SCORE"), QStringLiteral("Score"), QStringLiteral("number"), false } });
}

FixtureTraits MailchimpFixture::traits() const
{
    FixtureTraits traits;
    traits.refreshesTokens = false;
    traits.noRefreshReason = QStringLiteral(
        "Mailchimp API keys do not expire; a revoked key gives a non-retryable auth.refused naming the secret "
        "'api_key' (tst_mailchimpconnector::aRevokedKeyStopsWithAnErrorNamingTheSecret)");
    return traits;
}

engine::DestinationDef MailchimpFixture::destination(const QUrl &apiBase) const
{
    engine::DestinationDef destination;
    destination.name = QStringLiteral("newsletter");
    destination.type = QStringLiteral("mailchimp");
    // Prism routes the spec's paths without the /3.0 of its server URL; the fake serves both.
    destination.settings = { { QStringLiteral("base_url"), apiBase.toString() },
        { QStringLiteral("batch_size"), 40 }, { QStringLiteral("concurrency"), 2 },
        { QStringLiteral("retry_delay"), QStringLiteral("100ms") }, { QStringLiteral("timeout"), QStringLiteral("20s") } };
    using Ref = engine::SecretRef;
    destination.secrets = { { QStringLiteral("api_key"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_MAILCHIMP_API_KEY") } } };
    return destination;
}

QHash<QString, QString> MailchimpFixture::secretEnvironment() const
{
    return { { QStringLiteral("SYNCLINE_CONF_MAILCHIMP_API_KEY"), kKey } };
}

SyncShape MailchimpFixture::sync() const
{
    SyncShape shape;
    shape.object = kList;
    shape.matchColumn = QStringLiteral("email");
    shape.matchField = QStringLiteral("email_address");
    shape.mapping = { { QStringLiteral("first_name"), QStringLiteral("FNAME") },
        { QStringLiteral("last_name"), QStringLiteral("LNAME") }, { QStringLiteral("score"), QStringLiteral("SCORE") } };
    shape.onRemoved = engine::RemovedRowAction::Delete; // archive
    return shape;
}

FakeRecords MailchimpFixture::records() const
{
    FakeRecords out;
    const auto members = m_fake.members(kList);
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        QHash<QString, QString> fields { { QStringLiteral("email_address"), it.key() } };
        const QJsonObject merge = it->value(QStringLiteral("merge_fields")).toObject();
        for (auto field = merge.begin(); field != merge.end(); ++field)
            fields.insert(field.key(), field.value().toVariant().toString());
        out.insert(it.key(), fields);
    }
    return out;
}

FakeCounters MailchimpFixture::counters() const
{
    const auto counters = m_fake.counters();
    return FakeCounters { counters.writeRequests, counters.rateLimited, counters.unauthorized, 0 };
}

void MailchimpFixture::rejectRecords(const QSet<QString> &matchValues)
{
    m_fake.failEmails(QStringList(matchValues.begin(), matchValues.end()));
}

QList<MalformedRequest> MailchimpFixture::malformedRequests() const
{
    const QList<QPair<QByteArray, QByteArray>> headers { { "Content-Type", "application/json" },
        { "Authorization", "Basic " + (QStringLiteral("anystring:") + kKey).toUtf8().toBase64() } };
    const QString member = QStringLiteral("/lists/aud1/members/") + testfakes::MailchimpFake::subscriberHash(QStringLiteral("a@example.com"));
    // DELETE (archive) has no body and only free-form path parameters: nothing in it can be malformed.
    return {
        { QStringLiteral("batch subscribe: members is an object"), "POST", QStringLiteral("/lists/aud1"), headers,
            R"({"members":{"email_address":"a@example.com","status":"subscribed"},"update_existing":false})" },
        { QStringLiteral("batch subscribe: update_existing is a string"), "POST", QStringLiteral("/lists/aud1"), headers,
            R"({"members":[{"email_address":"a@example.com","status":"subscribed"}],"update_existing":"no"})" },
        { QStringLiteral("member PUT: missing status_if_new"), "PUT", member, headers,
            R"({"email_address":"a@example.com","merge_fields":{"FNAME":"A"}})" },
        { QStringLiteral("member PATCH: status 'gone'"), "PATCH", member, headers,
            R"({"status":"gone","merge_fields":{"FNAME":"A"}})" },
        { QStringLiteral("member PATCH (clear): merge_fields is a string"), "PATCH", member, headers,
            R"({"merge_fields":""})" },
    };
}

} // namespace syncline::conformance
