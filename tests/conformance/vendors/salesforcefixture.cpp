#include "tests/conformance/vendors/salesforcefixture.h"

namespace syncline::conformance {

SYNCLINE_CONFORMANCE_VENDOR(salesforce, SalesforceFixture);

namespace {

const QString kObject = QStringLiteral("Contact");
const QString kMatchField = QStringLiteral("Ext_Id__c");

testfakes::FakeSalesforceConfig initialConfig()
{
    testfakes::FakeSalesforceConfig config;
    config.rotateRefreshTokens = false;
    return config;
}

QString text(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? QString::number(qint64(number)) : QString::number(number);
    }
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString(); // null: ""
}

} // namespace

SalesforceFixture::SalesforceFixture() : m_fake(initialConfig()) {}

engine::DestinationDef SalesforceFixture::destination(const QUrl &apiBase) const
{
    auto config = m_fake.config();
    config.instanceUrl = apiBase;
    m_fake.setConfig(config);
    engine::DestinationDef destination;
    destination.name = QStringLiteral("crm");
    destination.type = QStringLiteral("salesforce");
    destination.settings = { { QStringLiteral("login_url"), apiBase.toString() },
        { QStringLiteral("bulk_threshold"), 100 }, { QStringLiteral("batch_size"), 20 },
        { QStringLiteral("concurrency"), 2 }, { QStringLiteral("poll_interval"), QStringLiteral("50ms") },
        { QStringLiteral("retry_delay"), QStringLiteral("50ms") }, { QStringLiteral("max_attempts"), 6 },
        { QStringLiteral("timeout"), QStringLiteral("20s") } };
    using Ref = engine::SecretRef;
    destination.secrets = { { QStringLiteral("client_id"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_SF_CLIENT_ID") } },
        { QStringLiteral("client_secret"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_SF_CLIENT_SECRET") } },
        { QStringLiteral("refresh_token"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_CONF_SF_REFRESH_TOKEN") } } };
    return destination;
}

QHash<QString, QString> SalesforceFixture::secretEnvironment() const
{
    const auto config = m_fake.config();
    return { { QStringLiteral("SYNCLINE_CONF_SF_CLIENT_ID"), config.clientId },
        { QStringLiteral("SYNCLINE_CONF_SF_CLIENT_SECRET"), config.clientSecret },
        { QStringLiteral("SYNCLINE_CONF_SF_REFRESH_TOKEN"), config.refreshToken } };
}

SyncShape SalesforceFixture::sync() const
{
    SyncShape shape;
    shape.object = kObject;
    shape.matchColumn = QStringLiteral("id");
    shape.matchField = kMatchField;
    shape.mapping = { { QStringLiteral("first_name"), QStringLiteral("FirstName") },
        { QStringLiteral("last_name"), QStringLiteral("LastName") }, { QStringLiteral("score"), QStringLiteral("Score__c") } };
    shape.onRemoved = engine::RemovedRowAction::Delete; // DELETE /composite/sobjects?ids=
    return shape;
}

FakeRecords SalesforceFixture::records() const
{
    FakeRecords out;
    const auto stored = m_fake.records(kObject);
    for (const QJsonObject &record : stored) {
        QHash<QString, QString> fields;
        for (auto it = record.begin(); it != record.end(); ++it)
            fields.insert(it.key(), text(it.value()));
        out.insert(fields.value(kMatchField), fields);
    }
    return out;
}

FakeCounters SalesforceFixture::counters() const
{
    const auto counters = m_fake.counters();
    return FakeCounters { counters.writeRequests, counters.limited, counters.unauthorized, counters.tokensIssued };
}

void SalesforceFixture::rejectRecords(const QSet<QString> &matchValues)
{
    auto config = m_fake.config();
    if (matchValues.isEmpty())
        config.rejectRecord = nullptr;
    else
        config.rejectRecord = [matchValues](const QString &, const QJsonObject &record) {
            return matchValues.contains(text(record.value(kMatchField)));
        };
    m_fake.setConfig(config);
}

void SalesforceFixture::rateLimitNext(int requests)
{
    // Salesforce's answer to too many requests at once is a 403, not a 429.
    m_fake.failNextRequests(requests, 403, QStringLiteral("REQUEST_LIMIT_EXCEEDED"),
        QStringLiteral("ConcurrentPerOrgLongTxn Limit exceeded"));
}

void SalesforceFixture::setWriteLatency(int ms)
{
    auto config = m_fake.config();
    config.writeLatencyMs = ms;
    m_fake.setConfig(config);
}

QList<MalformedRequest> SalesforceFixture::malformedRequests() const
{
    const QList<QPair<QByteArray, QByteArray>> json { { "Content-Type", "application/json" },
        { "Authorization", "Bearer 00Dfake!session1" } };
    const QString data = QStringLiteral("/services/data/v60.0");
    QByteArray tooMany = R"({"allOrNone":false,"records":[)";
    for (int i = 0; i < 201; ++i)
        tooMany += (i ? "," : "") + QByteArray(R"({"attributes":{"type":"Contact"},"Ext_Id__c":")") + QByteArray::number(i) + "\"}";
    tooMany += "]}";
    const auto csvHeaders = json; // the upload's data with application/json instead of text/csv
    return {
        { QStringLiteral("collection upsert: a record sets Id"), "PATCH", data + QStringLiteral("/composite/sobjects/Contact/Ext_Id__c"),
            json, R"({"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"Id":"003000000000001AAA","Ext_Id__c":"1"}]})" },
        { QStringLiteral("collection upsert: 201 records"), "PATCH", data + QStringLiteral("/composite/sobjects/Contact/Ext_Id__c"),
            json, tooMany },
        { QStringLiteral("collection insert: attributes without type"), "POST", data + QStringLiteral("/composite/sobjects"), json,
            R"({"allOrNone":false,"records":[{"attributes":{},"LastName":"A"}]})" },
        { QStringLiteral("collection update: a record without id"), "PATCH", data + QStringLiteral("/composite/sobjects"), json,
            R"({"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"LastName":"A"}]})" },
        { QStringLiteral("collection delete: a malformed id list"), "DELETE",
            data + QStringLiteral("/composite/sobjects?ids=abc&allOrNone=false"), json, {} },
        { QStringLiteral("bulk job: upsert without externalIdFieldName"), "POST", data + QStringLiteral("/jobs/ingest"), json,
            R"({"object":"Contact","operation":"upsert","contentType":"CSV","lineEnding":"LF"})" },
        { QStringLiteral("bulk upload: CSV sent as application/json"), "PUT",
            data + QStringLiteral("/jobs/ingest/750000000000000001/batches"), csvHeaders,
            // JSON, as Prism gives no answer at all to a body it cannot parse as the declared type
            R"({"csv":"Ext_Id__c,LastName\n1,A\n"})" },
        { QStringLiteral("bulk close: state Closed"), "PATCH", data + QStringLiteral("/jobs/ingest/750000000000000001"), json,
            R"({"state":"Closed"})" },
        { QStringLiteral("token: grant_type password"), "POST", QStringLiteral("/services/oauth2/token"),
            { { "Content-Type", "application/x-www-form-urlencoded" } },
            "grant_type=password&refresh_token=x&client_id=syncline-app" },
    };
}

} // namespace syncline::conformance
