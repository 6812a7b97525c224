// The klaviyo destination against its stateful fake (tests/fakes/klaviyo) over loopback HTTP:
// single profile imports for small batches, bulk import jobs (created, polled to completion, their
// import errors read back page by page into per-row outcomes) for large ones, the job limits,
// cancellation while a job is polled, 429 with Retry-After, clear (nulls and unset properties),
// custom properties and location, matching by external_id, a revoked key, and the headers every
// request carries. Each test checks the fake's profiles and the connector's outcomes.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "tests/fakes/klaviyo/klaviyofake.h"
#include "tests/http/httptestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <thread>

using namespace syncline::httptests;
using syncline::testfakes::KlaviyoFake;

namespace {

const QString kKey = QStringLiteral("pk_test_0123456789abcdef");
const QString kProfiles = QStringLiteral("profiles");

struct Harness
{
    KlaviyoFake fake { kKey };
    MapSecrets secrets;
    KeepingRecorder recorder;
    KeepingDiagnostics diagnostics;
    ConnectorRegistry registry;

    Harness()
    {
        QString error;
        if (!fake.start(0, &error))
            qFatal("fake did not start: %s", qPrintable(error));
        secrets.values.insert(QStringLiteral("kl"), kKey);
        syncline::connectors::registerBuiltinConnectors(registry);
    }

    DestinationDef destination(const QVariantMap &extra = {}) const
    {
        DestinationDef destination;
        destination.name = QStringLiteral("klaviyo");
        destination.type = QStringLiteral("klaviyo");
        destination.settings.insert(QStringLiteral("base_url"), fake.url().toString());
        destination.settings.insert(QStringLiteral("retry_delay"), QStringLiteral("10ms"));
        destination.settings.insert(QStringLiteral("poll_interval"), QStringLiteral("10ms"));
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            destination.settings.insert(it.key(), it.value());
        destination.secrets.insert(QStringLiteral("api_key"), keychain(QStringLiteral("kl")));
        return destination;
    }

    std::unique_ptr<Connector> open(const QVariantMap &extra = {}, const QString &matchField = QStringLiteral("email"))
    {
        auto created = registry.create(destination(extra), secrets);
        if (!created)
            qFatal("destination refused: %s", qPrintable(created.error().message));
        RunContext context;
        context.runId = 1;
        context.destinationName = QStringLiteral("klaviyo");
        context.object = kProfiles;
        context.matchField = matchField;
        context.exchanges = &recorder;
        context.diagnostics = &diagnostics;
        (*created)->setRunContext(context);
        if (auto begun = (*created)->beginRun(kProfiles); !begun)
            qFatal("beginRun failed: %s", qPrintable(begun.error().message));
        return std::move(*created);
    }

    std::vector<RecordOutcome> deliver(Connector &connector, std::vector<OutgoingRecord> records,
        const CancellationToken &cancellation = CancellationToken())
    {
        auto outcomes = connector.deliver(Batch { kProfiles, std::move(records) }, cancellation);
        if (!outcomes)
            qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
        return *outcomes;
    }

    int countRequests(const QByteArray &method, const QByteArray &pathPart) const
    {
        int count = 0;
        for (const auto &[m, path] : fake.requests())
            count += m == method && path.contains(pathPart);
        return count;
    }
};

OutgoingRecord profile(Operation operation, const QJsonObject &payload, const QString &destinationId = {})
{
    OutgoingRecord record;
    record.operation = operation;
    record.key = payload.value(QStringLiteral("email")).toString().toStdString();
    record.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString();
    record.destinationId = destinationId;
    return record;
}

std::vector<OutgoingRecord> people(int count, int first = 0)
{
    std::vector<OutgoingRecord> records;
    for (int i = first; i < first + count; ++i)
        records.push_back(profile(Operation::Upsert,
            { { QStringLiteral("email"), QStringLiteral("person%1@example.com").arg(i) },
                { QStringLiteral("first_name"), QStringLiteral("Person %1").arg(i) },
                { QStringLiteral("plan"), i % 2 ? QStringLiteral("pro") : QStringLiteral("free") } }));
    return records;
}

} // namespace

class TestKlaviyoConnector : public QObject
{
    Q_OBJECT

private slots:
    void smallBatchesAreSingleProfileImportsWithTheRevisionHeader()
    {
        Harness harness;
        auto connector = harness.open({ { QStringLiteral("revision"), QStringLiteral("2025-10-15") } });
        const auto outcomes = harness.deliver(*connector, people(5));
        QCOMPARE(acceptedCount(outcomes), 5);
        QCOMPARE(harness.countRequests("POST", "/api/profile-import"), 5);
        QCOMPARE(harness.countRequests("POST", "/api/profile-bulk-import-jobs"), 0);
        const auto profiles = harness.fake.profiles();
        QCOMPARE(profiles.size(), 5);
        const QJsonObject person3 = profiles.value(QStringLiteral("person3@example.com"));
        QCOMPARE(person3.value(QStringLiteral("first_name")).toString(), QStringLiteral("Person 3"));
        QCOMPARE(person3.value(QStringLiteral("properties")).toObject().value(QStringLiteral("plan")).toString(), QStringLiteral("pro"));
        QVERIFY(!outcomes[3].destinationId.isEmpty()); // Klaviyo's profile id goes to the ledger
        bool sawRevision = false;
        for (const auto &exchange : harness.recorder.exchanges) {
            for (const auto &[name, value] : exchange.requestHeaders) {
                if (name.compare("revision", Qt::CaseInsensitive) == 0) {
                    QCOMPARE(value, QByteArray("2025-10-15"));
                    sawRevision = true;
                }
                if (name.compare("Content-Type", Qt::CaseInsensitive) == 0)
                    QCOMPARE(value, QByteArray("application/vnd.api+json"));
            }
        }
        QVERIFY(sawRevision);
        // Sent again, the same profiles are updated (200), not duplicated.
        QCOMPARE(acceptedCount(harness.deliver(*connector, people(5))), 5);
        QCOMPARE(harness.fake.profiles().size(), 5);
    }

    void largeBatchesGoThroughABulkJobPolledToCompletion()
    {
        Harness harness;
        harness.fake.setPollsToComplete(3);
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 10 } });
        const auto outcomes = harness.deliver(*connector, people(50));
        QCOMPARE(acceptedCount(outcomes), 50);
        QCOMPARE(harness.countRequests("POST", "/api/profile-bulk-import-jobs"), 1);
        QCOMPARE(harness.countRequests("GET", "/import-errors"), 1);
        QCOMPARE(harness.countRequests("GET", "/api/profile-bulk-import-jobs/") - 1, 3); // three status polls
        QCOMPARE(harness.countRequests("POST", "/api/profile-import"), 0);
        QCOMPARE(harness.fake.profiles().size(), 50);
        QCOMPARE(harness.fake.openJobCount(), 0);
    }

    void importErrorsBecomePerRowOutcomesAcrossPages()
    {
        Harness harness;
        QStringList failing;
        for (int i = 0; i < 150; i += 1)
            if (i % 5 != 0)
                failing << QStringLiteral("person%1@example.com").arg(i);
        harness.fake.failIdentifiers(failing); // 120 of 150 fail: two pages of import errors
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 10 } });
        const auto outcomes = harness.deliver(*connector, people(150));
        QCOMPARE(acceptedCount(outcomes), 30);
        for (int i = 0; i < 150; ++i) {
            const auto &outcome = outcomes[size_t(i)];
            QCOMPARE(outcome.accepted, i % 5 == 0);
            if (!outcome.accepted) {
                QVERIFY(!outcome.retryable);
                QVERIFY2(outcome.error.contains(QStringLiteral("person%1@example.com").arg(i)), qPrintable(outcome.error));
            }
        }
        QCOMPARE(harness.countRequests("GET", "/import-errors"), 2);
        QCOMPARE(harness.fake.profiles().size(), 30);
    }

    void bulkJobsHoldAtMostBulkSizeProfiles()
    {
        Harness harness;
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 0 }, { QStringLiteral("bulk_size"), 20 } });
        const auto outcomes = harness.deliver(*connector, people(50));
        QCOMPARE(acceptedCount(outcomes), 50);
        QCOMPARE(harness.fake.jobCount(), 3);
        QCOMPARE(harness.fake.profiles().size(), 50);
        // And the type refuses more than Klaviyo's 10,000 per job.
        auto refused = harness.registry.create(harness.destination({ { QStringLiteral("bulk_size"), 10'001 } }), harness.secrets);
        QVERIFY(!refused.has_value());
        QVERIFY(refused.error().message.contains(QStringLiteral("bulk_size")));
    }

    void bulkJobsStayUnderFiveMegabytesAndOversizedProfilesAreRefused()
    {
        Harness harness;
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 0 } });
        std::vector<OutgoingRecord> records;
        const QString bulky(90 * 1024, QLatin1Char('x')); // 90 KB: under Klaviyo's 100 KB per profile
        for (int i = 0; i < 60; ++i)
            records.push_back(profile(Operation::Upsert,
                { { QStringLiteral("email"), QStringLiteral("big%1@example.com").arg(i) }, { QStringLiteral("notes"), bulky } }));
        records.push_back(profile(Operation::Upsert,
            { { QStringLiteral("email"), QStringLiteral("huge@example.com") }, { QStringLiteral("notes"), QString(bulky + bulky) } }));
        const auto outcomes = harness.deliver(*connector, std::move(records));
        QCOMPARE(acceptedCount(outcomes), 60);
        QVERIFY(!outcomes[60].accepted);
        QVERIFY(!outcomes[60].retryable);
        QVERIFY2(outcomes[60].error.contains(QStringLiteral("100 KB")), qPrintable(outcomes[60].error));
        QCOMPARE(harness.fake.jobCount(), 2); // 60 x 90 KB does not fit in one 5 MB request
        for (const QByteArray &body : harness.fake.bodies())
            QVERIFY(body.size() <= KlaviyoFake::kMaxBulkBytes);
        QCOMPARE(harness.fake.profiles().size(), 60);
    }

    void cancellationWhilePollingStopsWaitingAndLeavesRowsRetryable()
    {
        Harness harness;
        harness.fake.setPollsToComplete(1'000'000);
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 0 }, { QStringLiteral("poll_interval"), QStringLiteral("50ms") } });
        CancellationToken cancellation;
        // Cancelled once the job exists and has been polled: while the connector waits for Klaviyo.
        std::thread canceller([cancellation, &harness] {
            while (harness.countRequests("GET", "/api/profile-bulk-import-jobs/") < 2)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            cancellation.cancel();
        });
        auto delivered = connector->deliver(Batch { kProfiles, people(20) }, cancellation);
        canceller.join();
        QVERIFY(!delivered.has_value());
        QCOMPARE(delivered.error().code, QStringLiteral("http.cancelled"));
        QVERIFY(delivered.error().retryable);
        QVERIFY2(delivered.error().message.contains(QStringLiteral("bulk import job")), qPrintable(delivered.error().message));
        QCOMPARE(harness.fake.openJobCount(), 1);
        QVERIFY(harness.countRequests("GET", "/api/profile-bulk-import-jobs/") >= 1);
        // Klaviyo finishes the job on its own; the next run's upsert of the same rows is harmless.
        harness.fake.finishJobs();
        harness.fake.setPollsToComplete(1);
        QCOMPARE(acceptedCount(harness.deliver(*connector, people(20))), 20);
        QCOMPARE(harness.fake.profiles().size(), 20);
    }

    void a429IsRetriedAfterItsRetryAfter()
    {
        Harness harness;
        harness.fake.scriptRateLimited(2, 1);
        auto connector = harness.open();
        const auto outcomes = harness.deliver(*connector, people(3));
        QCOMPARE(acceptedCount(outcomes), 3);
        QCOMPARE(harness.fake.rateLimitedCount(), 2);
        QCOMPARE(harness.fake.profiles().size(), 3);
    }

    void rateLimitHeadersPaceRequestsBeforeA429()
    {
        Harness harness;
        harness.fake.setBurstLimit(4);
        auto connector = harness.open({ { QStringLiteral("concurrency"), 1 } });
        const auto outcomes = harness.deliver(*connector, people(10));
        QCOMPARE(acceptedCount(outcomes), 10);
        // RateLimit-Remaining: 0 made the connector wait for the window's reset instead of
        // sending a request Klaviyo would refuse.
        QCOMPARE(harness.fake.rateLimitedCount(), 0);
        QCOMPARE(harness.countRequests("POST", "/api/profile-import"), 10);
        QCOMPARE(harness.fake.profiles().size(), 10);
    }

    void clearNullsTheMappedAttributesAndUnsetsCustomProperties()
    {
        Harness harness;
        auto connector = harness.open();
        const QJsonObject payload { { QStringLiteral("email"), QStringLiteral("ann@example.com") },
            { QStringLiteral("first_name"), QStringLiteral("Ann") }, { QStringLiteral("location.city"), QStringLiteral("Oslo") },
            { QStringLiteral("plan"), QStringLiteral("pro") } };
        const auto first = harness.deliver(*connector, { profile(Operation::Upsert, payload) });
        QVERIFY(first[0].accepted);
        QCOMPARE(harness.fake.profiles().value(QStringLiteral("ann@example.com")).value(QStringLiteral("location")).toObject().value(QStringLiteral("city")).toString(),
            QStringLiteral("Oslo"));
        const auto cleared = harness.deliver(*connector, { profile(Operation::Clear, payload, first[0].destinationId) });
        QVERIFY(cleared[0].accepted);
        const QJsonObject ann = harness.fake.profiles().value(QStringLiteral("ann@example.com"));
        QVERIFY(!ann.contains(QStringLiteral("first_name")));
        QVERIFY(!ann.value(QStringLiteral("properties")).toObject().contains(QStringLiteral("plan")));
        QVERIFY(!ann.value(QStringLiteral("location")).toObject().contains(QStringLiteral("city")));
        QCOMPARE(ann.value(QStringLiteral("email")).toString(), QStringLiteral("ann@example.com")); // the profile stays
        QCOMPARE(harness.fake.profiles().size(), 1);
    }

    void profilesCanBeMatchedByExternalId()
    {
        Harness harness;
        auto connector = harness.open({ { QStringLiteral("bulk_threshold"), 1 } }, QStringLiteral("external_id"));
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 4; ++i)
            records.push_back(profile(Operation::Upsert,
                { { QStringLiteral("external_id"), QStringLiteral("cust-%1").arg(i) }, { QStringLiteral("last_name"), QStringLiteral("L%1").arg(i) } }));
        harness.fake.failIdentifiers({ QStringLiteral("cust-2") });
        const auto outcomes = harness.deliver(*connector, std::move(records));
        QCOMPARE(acceptedCount(outcomes), 3);
        QVERIFY(!outcomes[2].accepted);
        const auto byId = harness.fake.profiles(QStringLiteral("external_id"));
        QCOMPARE(byId.size(), 3);
        QCOMPARE(byId.value(QStringLiteral("cust-3")).value(QStringLiteral("last_name")).toString(), QStringLiteral("L3"));
    }

    void aConflictingProfileIsRejectedWithKlaviyosWords()
    {
        Harness harness;
        auto connector = harness.open({}, QStringLiteral("email"));
        harness.deliver(*connector, { profile(Operation::Upsert, { { QStringLiteral("email"), QStringLiteral("a@example.com") } }),
                                        profile(Operation::Upsert, { { QStringLiteral("email"), QStringLiteral("b@example.com") }, { QStringLiteral("external_id"), QStringLiteral("X") } }) });
        const auto outcomes = harness.deliver(*connector,
            { profile(Operation::Upsert, { { QStringLiteral("email"), QStringLiteral("a@example.com") }, { QStringLiteral("external_id"), QStringLiteral("X") } }) });
        QVERIFY(!outcomes[0].accepted);
        QVERIFY(!outcomes[0].retryable);
        QVERIFY2(outcomes[0].error.contains(QStringLiteral("409")), qPrintable(outcomes[0].error));
    }

    void aRevokedKeyStopsWithAnErrorNamingTheSecret()
    {
        Harness harness;
        auto connector = harness.open();
        harness.fake.revokeKey();
        auto delivered = connector->deliver(Batch { kProfiles, people(3) }, CancellationToken());
        QVERIFY(!delivered.has_value());
        QCOMPARE(delivered.error().code, QStringLiteral("auth.refused"));
        QVERIFY(!delivered.error().retryable);
        QVERIFY2(delivered.error().message.contains(QStringLiteral("secret 'api_key'")), qPrintable(delivered.error().message));
        QVERIFY(!delivered.error().message.contains(kKey));
        auto bulk = harness.open({ { QStringLiteral("bulk_threshold"), 0 } });
        auto viaJob = bulk->deliver(Batch { kProfiles, people(3) }, CancellationToken());
        QVERIFY(!viaJob.has_value());
        QCOMPARE(viaJob.error().code, QStringLiteral("auth.refused"));
    }

    void deleteIsNotOfferedAndDiscoveryNamesTheAttributes()
    {
        Harness harness;
        const auto *type = harness.registry.find(QStringLiteral("klaviyo"));
        QVERIFY(type);
        const auto &operations = type->capabilities.operations;
        QVERIFY(std::find(operations.begin(), operations.end(), Operation::Delete) == operations.end());
        QVERIFY(std::find(operations.begin(), operations.end(), Operation::Clear) != operations.end());
        auto connector = harness.open();
        auto spec = connector->object(kProfiles);
        QVERIFY(spec.has_value());
        QVERIFY(spec->acceptsAnyField); // custom properties
        QMap<QString, FieldSpec> fields;
        for (const auto &field : spec->fields)
            fields.insert(field.name, field);
        QVERIFY(fields.value(QStringLiteral("email")).identifier);
        QVERIFY(fields.value(QStringLiteral("email")).caseInsensitive);
        QVERIFY(fields.value(QStringLiteral("external_id")).identifier);
        QVERIFY(!fields.value(QStringLiteral("first_name")).identifier);
        QCOMPARE(fields.value(QStringLiteral("location.latitude")).type, FieldType::Number);
        QVERIFY(!connector->object(QStringLiteral("contacts")).has_value());
        auto wrongMatch = harness.registry.create(harness.destination(), harness.secrets);
        RunContext context;
        context.matchField = QStringLiteral("first_name");
        (*wrongMatch)->setRunContext(context);
        QVERIFY(!(*wrongMatch)->beginRun(kProfiles).has_value());
    }
};

QTEST_GUILESS_MAIN(TestKlaviyoConnector)
#include "tst_klaviyoconnector.moc"
