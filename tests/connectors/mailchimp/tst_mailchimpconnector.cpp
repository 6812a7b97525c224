// The mailchimp destination against its stateful fake (tests/fakes/mailchimp) over loopback HTTP:
// batch subscribe in requests of 500 with errors[] turned into per-record outcomes, PUT by
// subscriber hash for delivered members, an existing member's status left alone, update mode that
// adds no one, archive, clear, the 10-connection limit and 429s, a revoked key, discovery of
// audiences and merge fields, and the base URL from the key's data center. Each test checks both
// sides: what the fake's audience holds and what the connector reported.

#include "connectors/builtinconnectors.h"
#include "connectors/mailchimp/mailchimpsettings.h"
#include "engine/connector/connectorregistry.h"
#include "tests/fakes/mailchimp/mailchimpfake.h"
#include "tests/http/httptestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <thread>

using namespace syncline::httptests;
using syncline::connectors::mailchimp::MailchimpSettings;
using syncline::testfakes::MailchimpFake;

namespace {

const QString kKey = QStringLiteral("0123456789abcdef0123456789abcdef-us21");
const QString kList = QStringLiteral("aud1");

struct Harness
{
    MailchimpFake fake { kKey };
    MapSecrets secrets;
    KeepingRecorder recorder;
    KeepingDiagnostics diagnostics;
    ConnectorRegistry registry;

    Harness()
    {
        QString error;
        if (!fake.start(0, &error))
            qFatal("fake did not start: %s", qPrintable(error));
        fake.addAudience(kList, QStringLiteral("Newsletter"),
            { { QStringLiteral("FNAME"), QStringLiteral("First name"), QStringLiteral("text"), true },
                { QStringLiteral("AGE"), QStringLiteral("Age"), QStringLiteral("number"), false } });
        secrets.values.insert(QStringLiteral("mc"), kKey);
        syncline::connectors::registerBuiltinConnectors(registry);
    }

    DestinationDef destination(const QVariantMap &extra = {}) const
    {
        DestinationDef destination;
        destination.name = QStringLiteral("newsletter");
        destination.type = QStringLiteral("mailchimp");
        destination.settings.insert(QStringLiteral("base_url"), fake.url().toString());
        destination.settings.insert(QStringLiteral("retry_delay"), QStringLiteral("10ms"));
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            destination.settings.insert(it.key(), it.value());
        destination.secrets.insert(QStringLiteral("api_key"), keychain(QStringLiteral("mc")));
        return destination;
    }

    std::unique_ptr<Connector> open(const QVariantMap &extra = {}, const QString &matchField = QStringLiteral("email_address"))
    {
        auto created = registry.create(destination(extra), secrets);
        if (!created)
            qFatal("destination refused: %s", qPrintable(created.error().message));
        RunContext context;
        context.runId = 1;
        context.destinationName = QStringLiteral("newsletter");
        context.object = kList;
        context.matchField = matchField;
        context.exchanges = &recorder;
        context.diagnostics = &diagnostics;
        (*created)->setRunContext(context);
        return std::move(*created);
    }

    std::vector<RecordOutcome> deliver(Connector &connector, std::vector<OutgoingRecord> records,
        const CancellationToken &cancellation = CancellationToken())
    {
        auto outcomes = connector.deliver(Batch { kList, std::move(records) }, cancellation);
        if (!outcomes)
            qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
        return *outcomes;
    }

    int countRequests(const QByteArray &method, const QByteArray &pathPart = {}) const
    {
        int count = 0;
        for (const auto &[m, path] : fake.requests())
            count += m == method && path.contains(pathPart);
        return count;
    }
};

OutgoingRecord member(Operation operation, const QString &email, const QString &firstName = QStringLiteral("Ann"),
    const QString &destinationId = {}, const QJsonObject &extra = {})
{
    QJsonObject payload { { QStringLiteral("email_address"), email }, { QStringLiteral("FNAME"), firstName } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        payload.insert(it.key(), it.value());
    OutgoingRecord record;
    record.operation = operation;
    record.key = email.toStdString();
    record.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString();
    record.destinationId = destinationId;
    return record;
}

std::vector<OutgoingRecord> newMembers(int count, int first = 0)
{
    std::vector<OutgoingRecord> records;
    for (int i = first; i < first + count; ++i)
        records.push_back(member(Operation::Upsert, QStringLiteral("user%1@example.com").arg(i),
            QStringLiteral("User %1").arg(i), {}, { { QStringLiteral("AGE"), 20 + i % 50 } }));
    return records;
}

} // namespace

class TestMailchimpConnector : public QObject
{
    Q_OBJECT

private slots:
    void newMembersAreSubscribedInBatchesOf500()
    {
        Harness harness;
        auto connector = harness.open();
        QVERIFY(connector->beginRun(kList).has_value());
        const auto outcomes = harness.deliver(*connector, newMembers(1200));
        QCOMPARE(acceptedCount(outcomes), 1200);
        QCOMPARE(harness.countRequests("POST", "/lists/aud1"), 3);
        QList<int> sizes;
        for (const QByteArray &body : harness.fake.bodies()) {
            const QJsonObject object = QJsonDocument::fromJson(body).object();
            if (object.contains(QStringLiteral("members"))) {
                sizes << int(object.value(QStringLiteral("members")).toArray().size());
                QCOMPARE(object.value(QStringLiteral("update_existing")).toBool(true), false);
            }
        }
        std::sort(sizes.begin(), sizes.end());
        QCOMPARE(sizes, (QList<int> { 200, 500, 500 }));
        const auto members = harness.fake.members(kList);
        QCOMPARE(members.size(), 1200);
        const QJsonObject user7 = members.value(QStringLiteral("user7@example.com"));
        QCOMPARE(user7.value(QStringLiteral("status")).toString(), QStringLiteral("subscribed"));
        QCOMPARE(user7.value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("FNAME")).toString(),
            QStringLiteral("User 7"));
        QCOMPARE(user7.value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("AGE")).toInt(), 27);
        // The ledger keeps the subscriber hash: MD5 of the lowercased email.
        QCOMPARE(outcomes[7].destinationId, MailchimpFake::subscriberHash(QStringLiteral("user7@example.com")));
    }

    void batchErrorsBecomePerRecordOutcomes()
    {
        Harness harness;
        harness.fake.failEmails({ QStringLiteral("user3@example.com"), QStringLiteral("USER8@example.com") });
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector, newMembers(10));
        QCOMPARE(acceptedCount(outcomes), 8);
        for (int i : { 3, 8 }) {
            QVERIFY(!outcomes[size_t(i)].accepted);
            QVERIFY(!outcomes[size_t(i)].retryable);
            QVERIFY2(outcomes[size_t(i)].error.contains(QStringLiteral("looks fake or invalid")),
                qPrintable(outcomes[size_t(i)].error));
        }
        QCOMPARE(harness.fake.members(kList).size(), 8);
        QVERIFY(!harness.fake.members(kList).contains(QStringLiteral("user3@example.com")));
    }

    void anExistingMemberKeepsItsSubscriptionStatus()
    {
        Harness harness;
        harness.fake.addMember(kList, QStringLiteral("Gone@Example.com"), QStringLiteral("unsubscribed"),
            { { QStringLiteral("FNAME"), QStringLiteral("Old") } });
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Upsert, QStringLiteral("gone@example.com"), QStringLiteral("New")),
                member(Operation::Upsert, QStringLiteral("fresh@example.com"), QStringLiteral("Fresh")) });
        QCOMPARE(acceptedCount(outcomes), 2);
        const QJsonObject gone = harness.fake.members(kList).value(QStringLiteral("gone@example.com"));
        QCOMPARE(gone.value(QStringLiteral("status")).toString(), QStringLiteral("unsubscribed"));
        QCOMPARE(gone.value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("FNAME")).toString(),
            QStringLiteral("New"));
        // The batch refused the existing contact, and one PUT by its hash updated it.
        QCOMPARE(harness.countRequests("POST"), 1);
        QCOMPARE(harness.countRequests("PUT", MailchimpFake::subscriberHash(QStringLiteral("gone@example.com")).toUtf8()), 1);
        QCOMPARE(harness.fake.members(kList).value(QStringLiteral("fresh@example.com")).value(QStringLiteral("status")).toString(),
            QStringLiteral("subscribed"));
    }

    void deliveredMembersAreUpdatedByPutOnTheirSubscriberHash()
    {
        Harness harness;
        auto connector = harness.open();
        harness.deliver(*connector, { member(Operation::Upsert, QStringLiteral("Ann@Example.com"), QStringLiteral("Ann")) });
        const QString hash = MailchimpFake::subscriberHash(QStringLiteral("ann@example.com"));
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Upsert, QStringLiteral("Ann@Example.com"), QStringLiteral("Annie"), hash,
                { { QStringLiteral("status"), QStringLiteral("pending") } }) });
        QCOMPARE(acceptedCount(outcomes), 1);
        QCOMPARE(harness.countRequests("PUT", QByteArray("/lists/aud1/members/") + hash.toUtf8()), 1);
        const QJsonObject ann = harness.fake.members(kList).value(QStringLiteral("ann@example.com"));
        QCOMPARE(ann.value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("FNAME")).toString(), QStringLiteral("Annie"));
        QCOMPARE(ann.value(QStringLiteral("status")).toString(), QStringLiteral("pending")); // mapped, so applied
        QCOMPARE(harness.fake.members(kList).size(), 1);
    }

    void anUnknownStatusIsRejectedBeforeSending()
    {
        Harness harness;
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Upsert, QStringLiteral("a@example.com"), QStringLiteral("A"), {},
                { { QStringLiteral("status"), QStringLiteral("active") } }) });
        QVERIFY(!outcomes[0].accepted);
        QVERIFY(!outcomes[0].retryable);
        QVERIFY(outcomes[0].error.contains(QStringLiteral("status 'active'")));
        QCOMPARE(harness.fake.requests().size(), 0);
    }

    void updateModeChangesMembersAndAddsNoOne()
    {
        Harness harness;
        harness.fake.addMember(kList, QStringLiteral("known@example.com"), QStringLiteral("subscribed"),
            { { QStringLiteral("FNAME"), QStringLiteral("Old") } });
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Update, QStringLiteral("known@example.com"), QStringLiteral("Kim"), QStringLiteral("x")),
                member(Operation::Update, QStringLiteral("stranger@example.com"), QStringLiteral("S"), QStringLiteral("y")) });
        QVERIFY(outcomes[0].accepted);
        QVERIFY(!outcomes[1].accepted);
        QVERIFY(!outcomes[1].retryable);
        QVERIFY2(outcomes[1].error.contains(QStringLiteral("not a member")), qPrintable(outcomes[1].error));
        QCOMPARE(harness.countRequests("PATCH"), 2);
        QCOMPARE(harness.fake.members(kList).size(), 1);
        QCOMPARE(harness.fake.members(kList).value(QStringLiteral("known@example.com")).value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("FNAME")).toString(),
            QStringLiteral("Kim"));
    }

    void insertModeRefusesExistingMembers()
    {
        Harness harness;
        harness.fake.addMember(kList, QStringLiteral("known@example.com"), QStringLiteral("subscribed"));
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Insert, QStringLiteral("known@example.com")), member(Operation::Insert, QStringLiteral("new@example.com")) });
        QVERIFY(!outcomes[0].accepted);
        QVERIFY(outcomes[0].error.contains(QStringLiteral("already a member")));
        QVERIFY(outcomes[1].accepted);
        QCOMPARE(harness.countRequests("PUT"), 0);
    }

    void removedRowsAreArchivedAndClearEmptiesMergeFields()
    {
        Harness harness;
        auto connector = harness.open();
        harness.deliver(*connector, newMembers(3));
        const auto outcomes = harness.deliver(*connector,
            { member(Operation::Delete, QStringLiteral("user0@example.com"), QStringLiteral("User 0"), QStringLiteral("h")),
                member(Operation::Clear, QStringLiteral("user1@example.com"), QStringLiteral("User 1"), QStringLiteral("h"),
                    { { QStringLiteral("AGE"), 21 } }),
                member(Operation::Delete, QStringLiteral("never@example.com")) });
        QCOMPARE(acceptedCount(outcomes), 3); // archiving someone already gone counts as done
        QCOMPARE(harness.fake.archived(kList), (QSet<QString> { QStringLiteral("user0@example.com") }));
        const auto members = harness.fake.members(kList);
        QCOMPARE(members.size(), 2);
        const QJsonObject merge = members.value(QStringLiteral("user1@example.com")).value(QStringLiteral("merge_fields")).toObject();
        QCOMPARE(merge.value(QStringLiteral("FNAME")).toString(), QString());
        QCOMPARE(merge.value(QStringLiteral("AGE")).toString(), QString());
        QCOMPARE(members.value(QStringLiteral("user1@example.com")).value(QStringLiteral("status")).toString(), QStringLiteral("subscribed"));
        QCOMPARE(members.value(QStringLiteral("user2@example.com")).value(QStringLiteral("merge_fields")).toObject().value(QStringLiteral("FNAME")).toString(),
            QStringLiteral("User 2"));
    }

    void neverMoreThanTenRequestsAreOpenAndA429IsWaitedOut()
    {
        Harness harness;
        harness.fake.setLatencyMs(40);
        harness.fake.scriptRateLimited(3);
        auto connector = harness.open();
        std::vector<OutgoingRecord> known;
        for (int i = 0; i < 60; ++i)
            known.push_back(member(Operation::Upsert, QStringLiteral("k%1@example.com").arg(i), QStringLiteral("K"), QStringLiteral("h")));
        const auto outcomes = harness.deliver(*connector, std::move(known));
        QCOMPARE(acceptedCount(outcomes), 60);
        QVERIFY2(harness.fake.maxOpenSeen() <= 10, qPrintable(QString::number(harness.fake.maxOpenSeen())));
        QVERIFY(harness.fake.maxOpenSeen() >= 2);
        QCOMPARE(harness.fake.rateLimitedCount(), 3);
        QCOMPARE(harness.fake.members(kList).size(), 60);
        QCOMPARE(harness.countRequests("PUT"), 63);
        // More than 10 connections, or batches over 500 members, cannot even be configured.
        auto refused = harness.registry.create(harness.destination({ { QStringLiteral("concurrency"), 11 } }), harness.secrets);
        QVERIFY(!refused.has_value());
        QVERIFY(refused.error().message.contains(QStringLiteral("concurrency")));
        auto tooBig = harness.registry.create(harness.destination({ { QStringLiteral("batch_size"), 501 } }), harness.secrets);
        QVERIFY(!tooBig.has_value());
        QVERIFY(tooBig.error().message.contains(QStringLiteral("batch_size")));
    }

    void twoRunsToOneAccountShareItsTenConnections()
    {
        Harness harness;
        harness.fake.setLatencyMs(40);
        // Each run alone keeps up to 10 requests open (Qt opens 6 connections per host): two at
        // once would pass Mailchimp's 10 and get 429s, unless they share the account's budget.
        auto runMembers = [&harness](int first) {
            std::vector<OutgoingRecord> known;
            for (int i = first; i < first + 40; ++i)
                known.push_back(member(Operation::Upsert, QStringLiteral("k%1@example.com").arg(i), QStringLiteral("K"), QStringLiteral("h")));
            return known;
        };
        std::vector<RecordOutcome> first, second;
        std::thread other([&harness, &second, &runMembers] {
            auto connector = harness.open();
            second = *connector->deliver(Batch { kList, runMembers(100) }, CancellationToken());
        });
        auto connector = harness.open();
        first = harness.deliver(*connector, runMembers(0));
        other.join();
        QCOMPARE(acceptedCount(first) + acceptedCount(second), 80);
        QCOMPARE(harness.fake.rateLimitedCount(), 0);
        QVERIFY2(harness.fake.maxOpenSeen() <= 10, qPrintable(QString::number(harness.fake.maxOpenSeen())));
        QCOMPARE(harness.fake.members(kList).size(), 80);
    }

    void aConnectionLimitBelowTheWindowIsAbsorbedBy429Retries()
    {
        Harness harness;
        harness.fake.setLatencyMs(30);
        harness.fake.setMaxConnections(2);
        auto connector = harness.open();
        std::vector<OutgoingRecord> known;
        for (int i = 0; i < 30; ++i)
            known.push_back(member(Operation::Upsert, QStringLiteral("k%1@example.com").arg(i), QStringLiteral("K"), QStringLiteral("h")));
        const auto outcomes = harness.deliver(*connector, std::move(known));
        QCOMPARE(acceptedCount(outcomes), 30);
        QVERIFY(harness.fake.rateLimitedCount() > 0);
        QCOMPARE(harness.fake.members(kList).size(), 30);
    }

    void aRevokedKeyStopsWithAnErrorNamingTheSecret()
    {
        Harness harness;
        auto connector = harness.open();
        harness.fake.revokeKey();
        auto begun = connector->beginRun(kList);
        QVERIFY(!begun.has_value());
        QCOMPARE(begun.error().code, QStringLiteral("auth.refused"));
        auto delivered = connector->deliver(Batch { kList, newMembers(3) }, CancellationToken());
        QVERIFY(!delivered.has_value());
        QCOMPARE(delivered.error().code, QStringLiteral("auth.refused"));
        QVERIFY(!delivered.error().retryable);
        QVERIFY2(delivered.error().message.contains(QStringLiteral("secret 'api_key'")), qPrintable(delivered.error().message));
        QVERIFY(!delivered.error().message.contains(kKey));
        QCOMPARE(harness.countRequests("POST"), 1); // refused once, not retried
    }

    void aWrongAudienceOrMatchFieldStopsBeforeSending()
    {
        Harness harness;
        auto connector = harness.open();
        auto begun = connector->beginRun(QStringLiteral("nope"));
        QVERIFY(!begun.has_value());
        QVERIFY2(begun.error().message.contains(QStringLiteral("audience")), qPrintable(begun.error().message));
        auto byName = harness.open({}, QStringLiteral("FNAME"));
        auto refused = byName->beginRun(kList);
        QVERIFY(!refused.has_value());
        QVERIFY(refused.error().message.contains(QStringLiteral("email")));
    }

    void discoveryListsAudiencesAndTheirMergeFields()
    {
        Harness harness;
        harness.fake.addAudience(QStringLiteral("aud2"), QStringLiteral("Customers"), {});
        auto connector = harness.open();
        auto objects = connector->objects();
        QVERIFY(objects.has_value());
        QCOMPARE(int(objects->size()), 2);
        QStringList labels;
        for (const auto &object : *objects)
            labels << object.name + QLatin1Char('=') + object.label;
        labels.sort();
        QCOMPARE(labels, (QStringList { QStringLiteral("aud1=Newsletter"), QStringLiteral("aud2=Customers") }));
        auto audience = connector->object(kList);
        QVERIFY(audience.has_value());
        QCOMPARE(audience->label, QStringLiteral("Newsletter"));
        QMap<QString, FieldSpec> fields;
        for (const auto &field : audience->fields)
            fields.insert(field.name, field);
        QVERIFY(fields.value(QStringLiteral("email_address")).identifier);
        QVERIFY(fields.value(QStringLiteral("email_address")).caseInsensitive);
        QVERIFY(fields.value(QStringLiteral("email_address")).required);
        QVERIFY(fields.value(QStringLiteral("FNAME")).required);
        QCOMPARE(fields.value(QStringLiteral("FNAME")).label, QStringLiteral("First name"));
        QCOMPARE(fields.value(QStringLiteral("AGE")).type, FieldType::Number);
        QVERIFY(!fields.value(QStringLiteral("AGE")).identifier);
        QVERIFY(fields.contains(QStringLiteral("status")));
    }

    void theBaseUrlComesFromTheKeysDataCenter()
    {
        QCOMPARE(MailchimpSettings::baseUrlFromKey(kKey), QUrl(QStringLiteral("https://us21.api.mailchimp.com/3.0")));
        QCOMPARE(MailchimpSettings::baseUrlFromKey(QStringLiteral("abc-us6")), QUrl(QStringLiteral("https://us6.api.mailchimp.com/3.0")));
        DestinationDef destination;
        destination.name = QStringLiteral("newsletter");
        destination.type = QStringLiteral("mailchimp");
        auto derived = MailchimpSettings::fromDestination(destination, QStringLiteral("abc-us6"));
        QVERIFY(derived.has_value());
        QCOMPARE(derived->baseUrl.host(), QStringLiteral("us6.api.mailchimp.com"));
        QCOMPARE(derived->concurrency, 10);
        QCOMPARE(derived->batchSize, 500);
        auto unknown = MailchimpSettings::fromDestination(destination, QStringLiteral("nodatacenter"));
        QVERIFY(!unknown.has_value());
        QVERIFY(unknown.error().message.contains(QStringLiteral("'api_key'")));
        QVERIFY(unknown.error().message.contains(QStringLiteral("base_url")));
        QVERIFY(!unknown.error().message.contains(QStringLiteral("nodatacenter")));
    }

    void cancellationLeavesUnsentMembersForTheNextRun()
    {
        Harness harness;
        harness.fake.setLatencyMs(300);
        auto connector = harness.open({ { QStringLiteral("batch_size"), 10 }, { QStringLiteral("concurrency"), 1 } });
        CancellationToken cancellation;
        std::thread canceller([cancellation] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            cancellation.cancel();
        });
        auto delivered = connector->deliver(Batch { kList, newMembers(50) }, cancellation);
        canceller.join();
        if (delivered) {
            QVERIFY(acceptedCount(*delivered) < 50);
            for (const auto &outcome : *delivered)
                QVERIFY(outcome.accepted || outcome.retryable);
        } else {
            QCOMPARE(delivered.error().code, QStringLiteral("http.cancelled"));
            QVERIFY(delivered.error().retryable);
        }
        QVERIFY(harness.fake.members(kList).size() < 50);
        // The next run sends them all; members already there are updated, not duplicated.
        harness.fake.setLatencyMs(0);
        auto again = harness.open();
        QCOMPARE(acceptedCount(harness.deliver(*again, newMembers(50))), 50);
        QCOMPARE(harness.fake.members(kList).size(), 50);
    }
};

QTEST_GUILESS_MAIN(TestMailchimpConnector)
#include "tst_mailchimpconnector.moc"
