// The salesforce destination against the fake org over loopback HTTP: discovery from describe,
// sObject Collections (200 a request, per-record outcomes, insert/update/delete/clear by Id),
// Bulk API 2.0 above bulk_threshold (CSV quoting and nulls, results in any order, failed and
// unprocessed rows, cancellation while polling, resuming a job after losing touch), OAuth with
// instance_url and rotated refresh tokens, an expired session, and the org's API limits.

#include "salesforcetestsupport.h"

#include <QJsonArray>
#include <QTest>

#include <atomic>
#include <thread>

using namespace syncline::salesforcetests;
using syncline::testfakes::FakeSalesforceConfig;

namespace {

int countRequests(const FakeSalesforce &fake, const QByteArray &method, const QByteArray &pathPart)
{
    int count = 0;
    for (const auto &request : fake.requests())
        if (request.method == method && request.path.contains(pathPart))
            ++count;
    return count;
}

} // namespace

class TestSalesforceConnector : public QObject
{
    Q_OBJECT

private slots:
    void discoveryDescribesFieldsFromTheInstanceUrl()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);

        auto objects = destination->objects();
        QVERIFY2(objects, qPrintable(objects ? QString() : objects.error().message));
        QStringList names;
        for (const ObjectSpec &object : *objects)
            names << object.name;
        QCOMPARE(names, (QStringList { QStringLiteral("Account"), QStringLiteral("Contact") }));

        auto contact = destination->object(QStringLiteral("Contact"));
        QVERIFY2(contact, qPrintable(contact ? QString() : contact.error().message));
        auto field = [&](const QString &name) {
            for (const FieldSpec &spec : contact->fields)
                if (spec.name == name)
                    return spec;
            return FieldSpec {};
        };
        QVERIFY(field(QStringLiteral("LastName")).required);
        QVERIFY(!field(QStringLiteral("Email")).required);
        QVERIFY(!field(QStringLiteral("VIP__c")).required); // defaulted on create
        QVERIFY(field(QStringLiteral("CreatedDate")).readOnly);
        QVERIFY(field(QStringLiteral("Ext_Id__c")).identifier);
        QVERIFY(field(QStringLiteral("Ext_Id__c")).caseInsensitive);
        QVERIFY(field(QStringLiteral("Id")).identifier);
        QVERIFY(!field(QStringLiteral("Email")).identifier);
        QCOMPARE(field(QStringLiteral("Birthdate")).type, FieldType::Date);
        QCOMPARE(field(QStringLiteral("Score__c")).type, FieldType::Number);
        QCOMPARE(field(QStringLiteral("VIP__c")).type, FieldType::Boolean);

        auto missing = destination->object(QStringLiteral("Nope__c"));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(QLatin1String("Nope__c")), qPrintable(missing.error().message));

        // The token came from the login host (/login/...), every API call went to instance_url.
        QCOMPARE(fake.state().tokensIssued(), 1);
        for (const Exchange &exchange : harness.recorder.exchanges)
            QVERIFY2(exchange.url.startsWith(fake.url(QStringLiteral("/services/data/v60.0/")).toString()),
                qPrintable(exchange.url));
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("sf-refresh")), fake.state().refreshToken());
    }

    void upsertGoesInCollectionsOf200WithPerRecordOutcomes()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 450; ++i)
            records.push_back(contact(Operation::Upsert, person(i)));
        auto outcomes = destination->deliver(contacts(records), {});
        QVERIFY2(outcomes, qPrintable(outcomes ? QString() : outcomes.error().message));
        QCOMPARE(acceptedCount(*outcomes), 450);
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 450);
        QList<int> sizes;
        for (const auto &request : fake.requests())
            if (request.path.endsWith("/composite/sobjects/Contact/Ext_Id__c"))
                sizes << request.records;
        std::sort(sizes.begin(), sizes.end());
        QCOMPARE(sizes, (QList<int> { 50, 200, 200 }));
        const QJsonObject stored = fake.recordBy(QStringLiteral("Contact"), QStringLiteral("Ext_Id__c"), QStringLiteral("EXT-7"));
        QCOMPARE((*outcomes)[7].destinationId, stored.value(QStringLiteral("Id")).toString());
        QCOMPARE(stored.value(QStringLiteral("Score__c")).toDouble(), 10.5);
        QVERIFY(destination->bulkJobs().isEmpty());

        // Again with a change: updated in place, matched ignoring case, nothing duplicated.
        QJsonObject changed = person(7, QStringLiteral("Renamed"));
        changed.insert(QStringLiteral("Ext_Id__c"), QStringLiteral("ext-7"));
        auto again = destination->deliver(contacts({ contact(Operation::Upsert, changed) }), {});
        QVERIFY(again && (*again)[0].accepted);
        QCOMPARE((*again)[0].destinationId, stored.value(QStringLiteral("Id")).toString());
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 450);
        QCOMPARE(fake.records(QStringLiteral("Contact")).value(stored.value(QStringLiteral("Id")).toString())
                     .value(QStringLiteral("LastName")).toString(),
            QStringLiteral("Renamed"));
    }

    void refusedRecordsAreRejectedAloneInSalesforcesWords()
    {
        FakeSalesforceConfig config;
        config.rejectRecord = [](const QString &, const QJsonObject &record) {
            return record.value(QStringLiteral("LastName")).toString().contains(QLatin1String("bad"));
        };
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        QJsonObject noName = person(2);
        noName.remove(QStringLiteral("LastName"));
        QJsonObject readOnly = person(3);
        readOnly.insert(QStringLiteral("CreatedDate"), QStringLiteral("2026-01-01T00:00:00Z"));
        auto outcomes = destination->deliver(contacts({ contact(Operation::Upsert, person(0)),
                                                 contact(Operation::Upsert, person(1, QStringLiteral("a bad one"))),
                                                 contact(Operation::Upsert, noName), contact(Operation::Upsert, readOnly),
                                                 contact(Operation::Upsert, person(4)) }),
            {});
        QVERIFY(outcomes);
        QVERIFY((*outcomes)[0].accepted);
        QVERIFY((*outcomes)[4].accepted);
        QVERIFY(!(*outcomes)[1].accepted);
        QVERIFY2((*outcomes)[1].error.startsWith(QLatin1String("FIELD_CUSTOM_VALIDATION_EXCEPTION")), qPrintable((*outcomes)[1].error));
        QVERIFY(!(*outcomes)[1].retryable);
        QVERIFY2((*outcomes)[2].error.contains(QLatin1String("REQUIRED_FIELD_MISSING")), qPrintable((*outcomes)[2].error));
        QVERIFY2((*outcomes)[2].error.contains(QLatin1String("LastName")), qPrintable((*outcomes)[2].error));
        QVERIFY2((*outcomes)[3].error.contains(QLatin1String("INVALID_FIELD_FOR_INSERT_UPDATE")), qPrintable((*outcomes)[3].error));
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 2);
    }

    void insertUpdateClearAndDeleteWorkById()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        auto inserted = destination->deliver(
            contacts({ contact(Operation::Insert, person(1)), contact(Operation::Insert, person(2)),
                contact(Operation::Insert, person(3)) }),
            {});
        QVERIFY(inserted);
        QCOMPARE(acceptedCount(*inserted), 3);
        QCOMPARE(countRequests(fake, "POST", "/composite/sobjects"), 1);
        const QString id1 = (*inserted)[0].destinationId;
        const QString id2 = (*inserted)[1].destinationId;
        const QString id3 = (*inserted)[2].destinationId;
        QVERIFY(fake.records(QStringLiteral("Contact")).contains(id1));

        QJsonObject cleared = person(2);
        for (const QString &key : cleared.keys())
            if (key != QLatin1String("Ext_Id__c"))
                cleared.insert(key, QJsonValue::Null); // LastName too: required, so it keeps its value
        auto written = destination->deliver(contacts({ contact(Operation::Update, person(1, QStringLiteral("Updated")), id1),
                                                contact(Operation::Clear, cleared, id2),
                                                contact(Operation::Update, person(9)) }),
            {});
        QVERIFY(written);
        QVERIFY((*written)[0].accepted);
        QVERIFY((*written)[1].accepted);
        QVERIFY(!(*written)[2].accepted); // no Id known: an update cannot find it
        QVERIFY2((*written)[2].error.contains(QLatin1String("Id")), qPrintable((*written)[2].error));
        const auto records = fake.records(QStringLiteral("Contact"));
        QCOMPARE(records.value(id1).value(QStringLiteral("LastName")).toString(), QStringLiteral("Updated"));
        QVERIFY(records.value(id2).value(QStringLiteral("Email")).isNull());
        QCOMPARE(records.value(id2).value(QStringLiteral("LastName")).toString(), QStringLiteral("Person 2"));
        QCOMPARE(records.size(), 3); // the update created nothing

        auto deleted = destination->deliver(
            contacts({ contact(Operation::Delete, person(1), id1), contact(Operation::Delete, person(3), id3) }), {});
        QVERIFY(deleted);
        QCOMPARE(acceptedCount(*deleted), 2);
        QCOMPARE(fake.records(QStringLiteral("Contact")).keys(), QList<QString> { id2 });
        QVERIFY(countRequests(fake, "DELETE", "/composite/sobjects") == 1);
        // Deleting again (a rerun after a lost answer) is done already, not an error.
        auto again = destination->deliver(contacts({ contact(Operation::Delete, person(1), id1) }), {});
        QVERIFY(again && (*again)[0].accepted);
    }

    void bulkJobAboveThresholdKeepsEveryCellAndMapsResultsBack()
    {
        FakeSalesforceConfig config;
        config.rejectRecord = [](const QString &, const QJsonObject &record) {
            return record.value(QStringLiteral("LastName")).toString() == QLatin1String("refuse me");
        };
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 100 } });
        const QStringList awkward = { QStringLiteral("comma, inside"), QStringLiteral("quote \"here\""),
            QStringLiteral("two\nlines"), QStringLiteral("  edge spaces "), QStringLiteral("Ünïcødé ✓"), QStringLiteral("#hash") };
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 250; ++i) {
            QJsonObject fields = person(i, i == 17 ? QStringLiteral("refuse me") : awkward[i % awkward.size()]);
            if (i % 10 == 3)
                fields.insert(QStringLiteral("Email"), QJsonValue::Null);
            records.push_back(contact(Operation::Upsert, fields));
        }
        auto outcomes = destination->deliver(contacts(records), {});
        QVERIFY2(outcomes, qPrintable(outcomes ? QString() : outcomes.error().message));
        QCOMPARE(destination->bulkJobs().size(), 1);
        QCOMPARE(countRequests(fake, "PATCH", "/composite/sobjects"), 0);
        const auto jobs = fake.jobs();
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs[0].operation, QStringLiteral("upsert"));
        QCOMPARE(jobs[0].externalIdField, QStringLiteral("Ext_Id__c"));
        QCOMPARE(jobs[0].state, QStringLiteral("JobComplete"));
        QCOMPARE(acceptedCount(*outcomes), 249);
        QVERIFY(!(*outcomes)[17].accepted);
        QVERIFY2((*outcomes)[17].error.startsWith(QLatin1String("FIELD_CUSTOM_VALIDATION_EXCEPTION")), qPrintable((*outcomes)[17].error));
        for (int i = 0; i < 250; ++i) {
            if (i == 17)
                continue;
            const QJsonObject stored = fake.recordBy(QStringLiteral("Contact"), QStringLiteral("Ext_Id__c"), QStringLiteral("EXT-%1").arg(i));
            QCOMPARE((*outcomes)[size_t(i)].destinationId, stored.value(QStringLiteral("Id")).toString());
            QCOMPARE(stored.value(QStringLiteral("LastName")).toString(), awkward[i % awkward.size()]);
            if (i % 10 == 3)
                QVERIFY(stored.value(QStringLiteral("Email")).isNull());
            else
                QCOMPARE(stored.value(QStringLiteral("Email")).toString(), QStringLiteral("p%1@example.com").arg(i));
        }
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 249);
    }

    void bulkInsertAndDeleteFindTheirRowsWithoutAKey()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 10 } });
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 40; ++i)
            records.push_back(contact(Operation::Insert, person(i)));
        auto inserted = destination->deliver(contacts(records), {});
        QVERIFY(inserted);
        QCOMPARE(acceptedCount(*inserted), 40);
        const auto stored = fake.records(QStringLiteral("Contact"));
        for (int i = 0; i < 40; ++i)
            QCOMPARE(stored.value((*inserted)[size_t(i)].destinationId).value(QStringLiteral("Ext_Id__c")).toString(),
                QStringLiteral("EXT-%1").arg(i));

        std::vector<OutgoingRecord> deletes;
        for (int i = 0; i < 30; ++i)
            deletes.push_back(contact(Operation::Delete, person(i), (*inserted)[size_t(i)].destinationId));
        auto deleted = destination->deliver(contacts(deletes), {});
        QVERIFY(deleted);
        QCOMPARE(acceptedCount(*deleted), 30);
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 10);
        QCOMPARE(fake.jobs().size(), 2);
        QCOMPARE(fake.jobs()[1].operation, QStringLiteral("delete"));
    }

    void aRunThatWentThroughBulkSendsItsLastSmallBatchThereToo()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 10 } });
        std::vector<OutgoingRecord> first;
        for (int i = 0; i < 12; ++i)
            first.push_back(contact(Operation::Upsert, person(i)));
        QVERIFY(destination->deliver(contacts(first), {}));
        auto tail = destination->deliver(contacts({ contact(Operation::Upsert, person(12)), contact(Operation::Delete, person(0),
                                                      fake.recordBy(QStringLiteral("Contact"), QStringLiteral("Ext_Id__c"),
                                                          QStringLiteral("EXT-0")).value(QStringLiteral("Id")).toString()) }),
            {});
        QVERIFY(tail);
        QCOMPARE(acceptedCount(*tail), 2);
        QCOMPARE(fake.jobs().size(), 2); // the upserts: both batches went through Bulk
        QCOMPARE(countRequests(fake, "PATCH", "/composite/sobjects"), 0);
        QCOMPARE(countRequests(fake, "DELETE", "/composite/sobjects"), 1); // the one delete did not
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 12);
        // A new run starts over: a small batch goes through Collections.
        auto next = harness.create(fake, { { QStringLiteral("bulk_threshold"), 10 } });
        QVERIFY(next->deliver(contacts({ contact(Operation::Upsert, person(13)) }), {}));
        QCOMPARE(fake.jobs().size(), 2);
    }

    void failedBulkJobRejectsItsRowsAsUnprocessed()
    {
        FakeSalesforceConfig config;
        config.bulkJobFailure = QStringLiteral("InvalidBatch : something went wrong");
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 5 } });
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 12; ++i)
            records.push_back(contact(Operation::Upsert, person(i)));
        auto outcomes = destination->deliver(contacts(records), {});
        QVERIFY(outcomes);
        QCOMPARE(acceptedCount(*outcomes), 0);
        QVERIFY2((*outcomes)[0].error.contains(QLatin1String("something went wrong")), qPrintable((*outcomes)[0].error));
        QVERIFY(fake.records(QStringLiteral("Contact")).isEmpty());
    }

    void cancellingWhileABulkJobRunsAbortsIt()
    {
        FakeSalesforceConfig config;
        config.bulkPollsInProgress = 1'000'000;
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 5 } });
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 20; ++i)
            records.push_back(contact(Operation::Upsert, person(i)));
        CancellationToken cancellation;
        std::atomic_bool stop { false };
        std::thread canceller([&] {
            while (!stop) {
                const auto jobs = fake.jobs();
                if (!jobs.isEmpty() && jobs[0].polls >= 3) {
                    cancellation.cancel();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
        auto outcomes = destination->deliver(contacts(records), cancellation);
        stop = true;
        canceller.join();
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("http.cancelled"));
        QVERIFY(outcomes.error().retryable);
        QCOMPARE(fake.jobs()[0].state, QStringLiteral("Aborted"));
        QVERIFY(fake.records(QStringLiteral("Contact")).isEmpty());
    }

    void aBulkJobThatLostTouchIsResumedNotRunTwice()
    {
        FakeSalesforceConfig config;
        config.bulkPollsInProgress = 2;
        config.bulkPollFailures = 2; // create, upload and close pass; the polls fail until attempts run out
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake, { { QStringLiteral("bulk_threshold"), 5 }, { QStringLiteral("max_attempts"), 2 } });
        std::vector<OutgoingRecord> records;
        for (int i = 0; i < 20; ++i)
            records.push_back(contact(Operation::Upsert, person(i)));
        auto first = destination->deliver(contacts(records), {});
        QVERIFY2(!first, "the polls failed, so the first delivery cannot have finished");
        QVERIFY(first.error().retryable);
        auto second = destination->deliver(contacts(records), {});
        QVERIFY2(second, qPrintable(second ? QString() : second.error().message));
        QCOMPARE(acceptedCount(*second), 20);
        QCOMPARE(fake.jobs().size(), 1);
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 20);
    }

    void anExpiredSessionIsRefreshedOnceAndTheRotatedTokenSaved()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        QVERIFY(destination->deliver(contacts({ contact(Operation::Upsert, person(1)) }), {}));
        const QString firstRefresh = harness.secrets.stored.value(QStringLiteral("sf-refresh"));
        QCOMPARE(firstRefresh, fake.state().refreshToken());
        fake.expireTokens();
        auto outcomes = destination->deliver(contacts({ contact(Operation::Upsert, person(2)) }), {});
        QVERIFY2(outcomes, qPrintable(outcomes ? QString() : outcomes.error().message));
        QVERIFY((*outcomes)[0].accepted);
        QCOMPARE(fake.state().tokensIssued(), 2);
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("sf-refresh")), fake.state().refreshToken());
        QVERIFY(harness.secrets.stored.value(QStringLiteral("sf-refresh")) != firstRefresh);
        int unauthorized = 0;
        for (const auto &request : fake.requests())
            unauthorized += request.status == 401;
        QCOMPARE(unauthorized, 1);
    }

    void aRefusedRefreshTokenStopsWithoutSendingOrShowingIt()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        fillSecrets(harness.secrets, fake);
        harness.secrets.values.insert(QStringLiteral("sf-refresh"), QStringLiteral("revoked-refresh-token"));
        auto created = SalesforceDestination::connectorType(harness.limiters).create(salesforceDestination(fake), harness.secrets);
        QVERIFY(created);
        RunContext context;
        context.matchField = QStringLiteral("Ext_Id__c");
        (*created)->setRunContext(context);
        auto outcomes = (*created)->deliver(contacts({ contact(Operation::Upsert, person(1)) }), {});
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("auth.refresh"));
        QVERIFY2(outcomes.error().message.contains(QLatin1String("invalid_grant")), qPrintable(outcomes.error().message));
        QVERIFY(!outcomes.error().message.contains(QLatin1String("revoked-refresh-token")));
        QVERIFY(!outcomes.error().message.contains(fake.config().clientSecret));
        QCOMPARE(countRequests(fake, "PATCH", "/composite"), 0);
    }

    void aConcurrentRequestLimitPassesButTheDailyOneStopsTheRun()
    {
        FakeSalesforceConfig config;
        config.apiLimit = 100;
        config.apiUsedAtStart = 89;
        FakeSalesforce fake(config);
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        fake.failNextRequests(2, 403, QStringLiteral("REQUEST_LIMIT_EXCEEDED"), QStringLiteral("ConcurrentPerOrgLongTxn Limit exceeded"));
        auto outcomes = destination->deliver(contacts({ contact(Operation::Upsert, person(1)) }), {});
        QVERIFY2(outcomes, qPrintable(outcomes ? QString() : outcomes.error().message));
        QVERIFY((*outcomes)[0].accepted);
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 1);
        // Sforce-Limit-Info passed 90%: one warning with the numbers.
        QCOMPARE(harness.diagnostics.warnings.size(), 1);
        QVERIFY2(harness.diagnostics.warnings[0].contains(QLatin1String("of its 100 API requests")), qPrintable(harness.diagnostics.warnings[0]));

        fake.failNextRequests(1, 403, QStringLiteral("REQUEST_LIMIT_EXCEEDED"), QStringLiteral("TotalRequests Limit exceeded."));
        auto refused = destination->deliver(contacts({ contact(Operation::Upsert, person(2)) }), {});
        QVERIFY(refused); // the batch's rows are answered: rejected, to be sent again next run
        QVERIFY(!(*refused)[0].accepted);
        QVERIFY((*refused)[0].retryable);
        QVERIFY2((*refused)[0].error.contains(QLatin1String("used up")), qPrintable((*refused)[0].error));
        const int sent = int(fake.requests().size());
        auto after = destination->deliver(contacts({ contact(Operation::Upsert, person(3)) }), {});
        QVERIFY(!after);
        QCOMPARE(after.error().code, QStringLiteral("salesforce.api_limit"));
        QCOMPARE(int(fake.requests().size()), sent); // stopped without asking again
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 1);
    }

    void valuesAreFittedToTheFieldTypesOfDescribe()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        auto destination = harness.create(fake);
        const QJsonObject fields { { QStringLiteral("Ext_Id__c"), 17 }, { QStringLiteral("LastName"), QStringLiteral("Typed") },
            { QStringLiteral("Score__c"), QStringLiteral("12.5") }, { QStringLiteral("VIP__c"), QStringLiteral("true") },
            { QStringLiteral("Phone"), 5551234 } };
        auto outcomes = destination->deliver(contacts({ contact(Operation::Upsert, fields) }), {});
        QVERIFY(outcomes && (*outcomes)[0].accepted);
        const QJsonObject stored = fake.records(QStringLiteral("Contact")).value((*outcomes)[0].destinationId);
        QCOMPARE(stored.value(QStringLiteral("Ext_Id__c")), QJsonValue(QStringLiteral("17")));
        QCOMPARE(stored.value(QStringLiteral("Score__c")), QJsonValue(12.5));
        QCOMPARE(stored.value(QStringLiteral("VIP__c")), QJsonValue(true));
        QCOMPARE(stored.value(QStringLiteral("Phone")), QJsonValue(QStringLiteral("5551234")));
    }

    void aMappingToAFieldTheObjectLacksIsRefusedBeforeSending()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        fillSecrets(harness.secrets, fake);
        for (const QString &name : { QStringLiteral("Nope__c"), QStringLiteral("CreatedDate") }) {
            auto created = SalesforceDestination::connectorType(harness.limiters).create(salesforceDestination(fake), harness.secrets);
            QVERIFY(created);
            RunContext context;
            context.object = QStringLiteral("Contact");
            context.matchField = QStringLiteral("Ext_Id__c");
            FieldSpec field;
            field.name = name;
            context.fields = { field };
            (*created)->setRunContext(context);
            auto begun = (*created)->beginRun(QStringLiteral("Contact"));
            QVERIFY(!begun);
            QCOMPARE(begun.error().code, QStringLiteral("salesforce.field"));
            QVERIFY2(begun.error().message.contains(name), qPrintable(begun.error().message));
        }
        QCOMPARE(countRequests(fake, "PATCH", "/composite"), 0);
    }

    void settingsAreCheckedWithExamples()
    {
        FakeSalesforce fake;
        QVERIFY(fake.start());
        Harness harness;
        fillSecrets(harness.secrets, fake);
        auto type = SalesforceDestination::connectorType(harness.limiters);
        auto bad = type.create(salesforceDestination(fake, { { QStringLiteral("api_version"), QStringLiteral("sixty") } }), harness.secrets);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QLatin1String("v60.0")), qPrintable(bad.error().message));
        auto unknown = type.create(salesforceDestination(fake, { { QStringLiteral("base_ur"), QStringLiteral("x") } }), harness.secrets);
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message.contains(QLatin1String("base_url")));
        auto bare = type.create(salesforceDestination(fake, { { QStringLiteral("api_version"), QStringLiteral("61.0") } }), harness.secrets);
        QVERIFY(bare);
        auto destination = harness.create(fake, { { QStringLiteral("api_version"), QStringLiteral("v60.0") },
                                                    { QStringLiteral("bulk_threshold"), 50000 } });
        QCOMPARE(destination->capabilities().maxBatchSize, 50001);
        QVERIFY(destination->capabilities().discoversObjects);
    }
};

QTEST_GUILESS_MAIN(TestSalesforceConnector)
#include "tst_salesforceconnector.moc"
