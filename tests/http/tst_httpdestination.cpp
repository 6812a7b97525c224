// The generic http destination against a real loopback API (tests/fakes): the default request
// shapes (POST of a JSON array, DELETE of the match value, clears), per-operation overrides, the
// sliding window, split retries that isolate bad records, per-record errors and ids, a rate limit
// shared by one account's destinations, and cancellation. Each test asserts exact counts on both
// sides: what the API stored and what the connector reported.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"

#include <QJsonArray>
#include <QJsonObject>

#include "fakeapiharness.h"
#include <thread>

using namespace syncline::httptests;
using syncline::testfakes::Fault;
using syncline::testfakes::RejectStyle;

class TestHttpDestination : public QObject
{
    Q_OBJECT

private slots:
    void defaultUpsertsPostOneJsonArrayPerBatch()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("batch_size"), 3 }, { QStringLiteral("concurrency"), 2 } });
        const auto outcomes = harness.deliver(*destination, upserts(7));
        QCOMPARE(int(outcomes.size()), 7);
        QCOMPARE(acceptedCount(outcomes), 7);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 3);
        QList<int> sizes;
        for (const auto &request : requests) {
            QCOMPARE(request.method, QByteArray("POST"));
            QCOMPARE(request.path, QByteArray("/records"));
            QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
            QVERIFY(bodyOf(request).isArray());
            sizes << int(bodyOf(request).array().size());
        }
        std::sort(sizes.begin(), sizes.end());
        QCOMPARE(sizes, (QList<int> { 1, 3, 3 }));
        QCOMPARE(harness.api.records().size(), 7);
        QCOMPARE(harness.api.records().value(QStringLiteral("k4")).value(QStringLiteral("name")).toString(),
            QStringLiteral("name 4"));
        QCOMPARE(harness.api.counters().duplicates, 0);
        QCOMPARE(int(harness.recorder.exchanges.size()), 3);
    }

    void batchSizeOneSendsOneObjectPerRequest()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("batch_size"), 1 } });
        const auto outcomes = harness.deliver(*destination, upserts(3));
        QCOMPARE(acceptedCount(outcomes), 3);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 3);
        for (const auto &request : requests)
            QVERIFY2(bodyOf(request).isObject(), request.body.constData());
        QCOMPARE(harness.api.records().size(), 3);
    }

    void capabilitiesKeepTheWindowFull()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("batch_size"), 50 }, { QStringLiteral("concurrency"), 3 } });
        // Eight windows of requests per deliver() (8 x 3 requests of 50 records)...
        QCOMPARE(destination->capabilities().maxBatchSize, 8 * 3 * 50);
        // ...or, at a configured rate, five seconds of requests (5 s x 20/s requests of 100 records).
        auto paced = harness.open({ { QStringLiteral("batch_size"), 100 }, { QStringLiteral("concurrency"), 4 },
            { QStringLiteral("rate_limit"), QStringLiteral("20/s") } });
        QCOMPARE(paced->capabilities().maxBatchSize, 5 * 20 * 100);
        QCOMPARE(int(destination->capabilities().operations.size()), 5);
    }

    void theWindowKeepsConcurrencyRequestsInFlightAndNoMore()
    {
        FakeApiConfig config;
        config.latencyMs = 150;
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("batch_size"), 1 }, { QStringLiteral("concurrency"), 3 } });
        const auto outcomes = harness.deliver(*destination, upserts(9));
        QCOMPARE(acceptedCount(outcomes), 9);
        // The most exchanges that overlapped in time, from the inspector's start times and durations.
        std::vector<std::pair<qint64, int>> edges;
        for (const Exchange &exchange : harness.recorder.exchanges) {
            edges.emplace_back(exchange.startedAtMs, 1);
            edges.emplace_back(exchange.startedAtMs + exchange.durationMs, -1);
        }
        std::sort(edges.begin(), edges.end(),
            [](const auto &a, const auto &b) { return a.first != b.first ? a.first < b.first : a.second < b.second; });
        int open = 0, most = 0;
        for (const auto &edge : edges)
            most = std::max(most, open += edge.second);
        QVERIFY2(most <= 3, qPrintable(QString::number(most)));
        QVERIFY2(most >= 2, qPrintable(QString::number(most)));
    }

    void deleteSendsDeleteToTheEncodedMatchValue()
    {
        Harness harness;
        auto destination = harness.open();
        const QString awkward = QStringLiteral("ann@example.com/a b");
        harness.deliver(
            *destination, { record(Operation::Upsert, awkward), record(Operation::Upsert, QStringLiteral("k2")) });
        QCOMPARE(harness.api.records().size(), 2);
        harness.api.resetCounters();

        const auto outcomes = harness.deliver(*destination, { record(Operation::Delete, awkward) });
        QCOMPARE(acceptedCount(outcomes), 1);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.first().method, QByteArray("DELETE"));
        QCOMPARE(requests.first().path, QByteArray("/records/ann%40example.com%2Fa%20b"));
        QVERIFY(requests.first().body.isEmpty());
        QCOMPARE(harness.api.records().keys(), QList<QString> { QStringLiteral("k2") });
    }

    void deleteOfAMissingRecordIsAccepted()
    {
        Harness harness;
        auto destination = harness.open();
        const auto outcomes = harness.deliver(*destination, { record(Operation::Delete, QStringLiteral("gone")) });
        QCOMPARE(harness.api.counters().status(404), 1);
        QCOMPARE(acceptedCount(outcomes), 1);
    }

    void clearPostsTheRecordWithItsFieldsNull()
    {
        Harness harness;
        auto destination = harness.open();
        harness.deliver(*destination, { record(Operation::Upsert, QStringLiteral("k1"), QStringLiteral("Ann")) });
        const auto outcomes
            = harness.deliver(*destination, { record(Operation::Clear, QStringLiteral("k1"), QString()) });
        QCOMPARE(acceptedCount(outcomes), 1);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.last().method, QByteArray("POST"));
        QCOMPARE(requests.last().body, QByteArray("[{\"id\":\"k1\",\"name\":null}]"));
        QVERIFY(harness.api.records().value(QStringLiteral("k1")).value(QStringLiteral("name")).isNull());
    }

    void mixedOperationsEndInRecordOrder()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("batch_size"), 2 } });
        harness.deliver(*destination, { record(Operation::Upsert, QStringLiteral("old")) });
        const auto outcomes = harness.deliver(*destination,
            { record(Operation::Upsert, QStringLiteral("a")), record(Operation::Delete, QStringLiteral("old")),
                record(Operation::Insert, QStringLiteral("b")),
                record(Operation::Clear, QStringLiteral("c"), QString()),
                record(Operation::Delete, QStringLiteral("never")) });
        QCOMPARE(int(outcomes.size()), 5);
        QCOMPARE(acceptedCount(outcomes), 5);
        const auto records = harness.api.records();
        QCOMPARE(records.size(), 3);
        QVERIFY(records.contains(QStringLiteral("a")) && records.contains(QStringLiteral("b"))
            && records.contains(QStringLiteral("c")));
    }

    void destinationsOfOneAccountShareTheirRateLimit()
    {
        FakeApiConfig config;
        config.rateLimitPerSecond = 1; // every answer says how much of the 1-second window is left
        Harness harness(config);
        ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        harness.secrets.values.insert(QStringLiteral("crm"), QStringLiteral("token"));
        auto open = [&](const QString &name, KeepingRecorder &recorder) {
            DestinationDef destination = httpDestination(harness.api.url());
            destination.name = name;
            destination.secrets = { { QStringLiteral("token"), keychain(QStringLiteral("crm")) } };
            auto created = registry.create(destination, harness.secrets);
            if (!created)
                qFatal("%s", qPrintable(created.error().message));
            RunContext context;
            context.matchField = QStringLiteral("id");
            context.exchanges = &recorder;
            (*created)->setRunContext(context);
            return std::move(*created);
        };
        KeepingRecorder first, second;
        auto a = open(QStringLiteral("crm-a"), first);
        auto b = open(QStringLiteral("crm-b"), second);
        QCOMPARE(acceptedCount(harness.deliver(*a, upserts(1))), 1);
        QCOMPARE(acceptedCount(harness.deliver(*b, upserts(1, 1))), 1);
        // A's answer said "0 left, resets in 1 s"; B, another destination of the same account,
        // waited for the reset instead of being refused.
        const Exchange &answered = first.exchanges.front();
        QCOMPARE(second.exchanges.front().status, 200);
        QVERIFY(second.exchanges.front().startedAtMs >= answered.startedAtMs + answered.durationMs + 990);
        QCOMPARE(harness.api.counters().rateLimited, 0);
    }

    void aPartiallyBadBatchIsBisectedUntilTheBadRecordsAreAlone()
    {
        FakeApiConfig config;
        config.rejectStyle = RejectStyle::WholeBatch422;
        config.rejectRecord = [](const QJsonObject &record) {
            const QString id = record.value(QStringLiteral("id")).toString();
            return id == QLatin1String("k3") || id == QLatin1String("k12");
        };
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("batch_size"), 8 }, { QStringLiteral("concurrency"), 2 } });
        const auto outcomes = harness.deliver(*destination, upserts(16));
        QCOMPARE(int(outcomes.size()), 16);
        QCOMPARE(acceptedCount(outcomes), 14);
        for (int i = 0; i < 16; ++i) {
            const bool bad = i == 3 || i == 12;
            QCOMPARE(outcomes[size_t(i)].accepted, !bad);
            if (bad) {
                QVERIFY(!outcomes[size_t(i)].retryable);
                QVERIFY2(
                    outcomes[size_t(i)].error.contains(QStringLiteral("422")), qPrintable(outcomes[size_t(i)].error));
                QVERIFY2(outcomes[size_t(i)].error.contains(QStringLiteral("invalid")),
                    qPrintable(outcomes[size_t(i)].error));
            }
        }
        // Good rows delivered exactly once, bad rows never stored.
        const auto perKey = harness.api.upsertsPerKey();
        QCOMPARE(perKey.size(), 14);
        for (auto it = perKey.cbegin(); it != perKey.cend(); ++it)
            QCOMPARE(it.value(), 1);
        QCOMPARE(harness.api.records().size(), 14);
        QVERIFY(!harness.api.records().contains(QStringLiteral("k3")));
        QCOMPARE(harness.api.counters().duplicates, 0);
        // Each batch of 8 with one bad record: 8 -> 4+4 -> 2+2 -> 1+1, i.e. 7 requests.
        QCOMPARE(harness.api.counters().requests, 14);
    }

    void anIsolatedRecordIsRejectedWithItsOwnErrorFromErrorsPath()
    {
        FakeApiConfig config;
        config.rejectStyle = RejectStyle::WholeBatch400;
        config.rejectRecord = [](const QJsonObject &record) {
            return record.value(QStringLiteral("id")).toString() == QLatin1String("k2");
        };
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("operations"),
            QVariantMap { { QStringLiteral("upsert"),
                QVariantMap { { QStringLiteral("errors_path"), QStringLiteral("errors[#index].message") } } } } } });
        const auto outcomes = harness.deliver(*destination, upserts(4));
        QCOMPARE(acceptedCount(outcomes), 3);
        QCOMPARE(outcomes[2].error, QStringLiteral("HTTP 400: record refused by the fake"));
        QCOMPARE(harness.api.records().size(), 3);
    }

    void perRecordErrorsAndIdsAreReadFromA207()
    {
        FakeApiConfig config;
        config.rejectStyle = RejectStyle::PerRecord207;
        config.rejectRecord = [](const QJsonObject &record) {
            return record.value(QStringLiteral("id")).toString() == QLatin1String("k1");
        };
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("operations"),
            QVariantMap { { QStringLiteral("upsert"),
                QVariantMap { { QStringLiteral("errors_path"), QStringLiteral("results[].error") },
                    { QStringLiteral("id_path"), QStringLiteral("results[].id") },
                    { QStringLiteral("success"), QVariantList { 200, 207 } } } } } } });
        const auto outcomes = harness.deliver(*destination, upserts(3));
        QCOMPARE(harness.api.counters().requests, 1);
        QCOMPARE(acceptedCount(outcomes), 2);
        QVERIFY(!outcomes[1].accepted);
        QCOMPARE(outcomes[1].error, QStringLiteral("record refused by the fake"));
        QVERIFY(!outcomes[1].retryable);
        QCOMPARE(outcomes[0].destinationId, QStringLiteral("k0"));
        QCOMPARE(outcomes[2].destinationId, QStringLiteral("k2"));
        QCOMPARE(harness.api.records().size(), 2);
    }

    void cancellationAbortsRequestsInFlightAndLosesNothing()
    {
        FakeApiConfig config;
        config.latencyMs = 400;
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("batch_size"), 1 }, { QStringLiteral("concurrency"), 2 } });
        CancellationToken cancellation;
        std::atomic_bool cancelled = false;
        harness.recorder.onRecord = [&](const Exchange &) {
            if (harness.recorder.exchanges.size() == 2 && !cancelled.exchange(true)) {
                // From another thread, as the GUI or a signal handler would.
                std::thread([cancellation] { cancellation.cancel(); }).join();
            }
        };
        const auto outcomes = harness.deliver(*destination, upserts(10), cancellation);
        QCOMPARE(int(outcomes.size()), 10);
        const int accepted = acceptedCount(outcomes);
        QVERIFY2(accepted >= 2 && accepted < 10, qPrintable(QString::number(accepted)));
        const auto stored = harness.api.records();
        for (size_t i = 0; i < outcomes.size(); ++i) {
            const QString key = QStringLiteral("k%1").arg(i);
            if (outcomes[i].accepted)
                QVERIFY2(stored.contains(key), qPrintable(key)); // nothing acknowledged that did not land
            else
                QVERIFY(outcomes[i].retryable); // the rest are sent again next run
        }
        QVERIFY(harness.api.counters().requests < 10);
    }

    void cancellationBeforeAnyAnswerIsAnError()
    {
        Harness harness;
        auto destination = harness.open();
        CancellationToken cancellation;
        cancellation.cancel();
        auto outcomes = destination->deliver(Batch { QStringLiteral("people"), upserts(3) }, cancellation);
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("http.cancelled"));
        QCOMPARE(harness.api.counters().requests, 0);
    }

    void operationsOverrideMethodPathHeadersAndBody()
    {
        Harness harness;
        auto destination = harness.open(
            { { QStringLiteral("headers"), QVariantMap { { QStringLiteral("X-Team"), QStringLiteral("analytics") } } },
                { QStringLiteral("operations"),
                    QVariantMap { { QStringLiteral("upsert"),
                                      QVariantMap { { QStringLiteral("method"), QStringLiteral("PUT") },
                                          { QStringLiteral("path"), QStringLiteral("/{{id}}") },
                                          { QStringLiteral("headers"),
                                              QVariantMap { { QStringLiteral("X-Mode"), QStringLiteral("one") } } },
                                          { QStringLiteral("body"),
                                              QStringLiteral("{\"id\": \"{{id}}\", \"label\": \"{{name}}!\"}") } } },
                        { QStringLiteral("insert"),
                            QVariantMap { { QStringLiteral("body"),
                                QStringLiteral("[{{#records}}{\"id\":\"{{id}}\",\"raw\":{{{_json}}}}{{^_last}},{{/"
                                               "_last}}{{/records}}]") } } } } } });
        const auto outcomes = harness.deliver(*destination,
            { record(Operation::Upsert, QStringLiteral("u1"), QStringLiteral("say \"hi\"")),
                record(Operation::Insert, QStringLiteral("i1")), record(Operation::Insert, QStringLiteral("i2")) });
        QCOMPARE(acceptedCount(outcomes), 3);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 2);
        const auto put
            = std::find_if(requests.begin(), requests.end(), [](const auto &r) { return r.method == "PUT"; });
        QVERIFY(put != requests.end());
        QCOMPARE(put->path, QByteArray("/records/u1"));
        QCOMPARE(put->header("X-Team"), QByteArray("analytics"));
        QCOMPARE(put->header("X-Mode"), QByteArray("one"));
        QCOMPARE(bodyOf(*put).object().value(QStringLiteral("label")).toString(), QStringLiteral("say \"hi\"!"));
        const auto post
            = std::find_if(requests.begin(), requests.end(), [](const auto &r) { return r.method == "POST"; });
        QVERIFY(post != requests.end());
        QCOMPARE(bodyOf(*post).array().size(), 2);
        QCOMPARE(bodyOf(*post)
                     .array()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("raw"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
            QStringLiteral("i2"));
        QCOMPARE(harness.api.records().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestHttpDestination)
#include "tst_httpdestination.moc"
