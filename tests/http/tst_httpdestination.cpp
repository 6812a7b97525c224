// The generic http destination against a real loopback API (tests/fakes): the default request
// shapes, every injected fault (429, 5xx, timeouts, resets, malformed JSON, partial batch
// failures), bisection, retries running out, cancellation, and per-operation overrides. Each test
// asserts exact counts on both sides: what the API stored and what the connector reported.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "tests/fakes/fakeapi.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include "httptestsupport.h"
#include <thread>

using namespace syncline::httptests;
using syncline::connectors::http::HttpDestination;
using syncline::connectors::http::RateLimiterPool;
using syncline::testfakes::FakeApi;
using syncline::testfakes::FakeApiConfig;
using syncline::testfakes::Fault;
using syncline::testfakes::RejectStyle;

namespace {

struct Harness
{
    FakeApi api;
    MapSecrets secrets;
    KeepingRecorder recorder;
    KeepingDiagnostics diagnostics;
    std::shared_ptr<RateLimiterPool> pool = std::make_shared<RateLimiterPool>();

    explicit Harness(FakeApiConfig config = {})
        : api(std::move(config))
    {
        QString error;
        if (!api.start(0, &error))
            qFatal("fake API did not start: %s", qPrintable(error));
    }

    std::unique_ptr<Connector> open(const QVariantMap &settings = {}, const QMap<QString, SecretRef> &secretRefs = {})
    {
        DestinationDef destination = httpDestination(api.url(), settings);
        destination.secrets = secretRefs;
        auto created = HttpDestination::connectorType(pool).create(destination, secrets);
        if (!created)
            qFatal("destination refused: %s", qPrintable(created.error().message));
        RunContext context;
        context.runId = 1;
        context.destinationName = destination.name;
        context.object = QStringLiteral("people");
        context.matchField = QStringLiteral("id");
        context.exchanges = &recorder;
        context.diagnostics = &diagnostics;
        (*created)->setRunContext(context);
        if (auto begun = (*created)->beginRun(context.object); !begun)
            qFatal("beginRun failed: %s", qPrintable(begun.error().message));
        return std::move(*created);
    }

    std::vector<RecordOutcome> deliver(Connector &connector, std::vector<OutgoingRecord> records,
        const CancellationToken &cancellation = CancellationToken())
    {
        auto outcomes = connector.deliver(Batch { QStringLiteral("people"), std::move(records) }, cancellation);
        if (!outcomes)
            qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
        return *outcomes;
    }
};

QJsonDocument bodyOf(const syncline::testfakes::FakeRequest &request)
{
    return QJsonDocument::fromJson(request.body);
}

} // namespace

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
        QCOMPARE(destination->capabilities().maxBatchSize, 300);
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

    void tooManyRequestsWaitsForRetryAfterAndIsNotAFailedAttempt()
    {
        FakeApiConfig config;
        config.retryAfterSeconds = 1;
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("max_attempts"), 1 } });
        harness.api.scriptFaults({ Fault::TooManyRequests, Fault::TooManyRequests });
        const auto outcomes = harness.deliver(*destination, upserts(4));
        QCOMPARE(acceptedCount(outcomes), 4);
        QCOMPARE(harness.api.counters().fault(Fault::TooManyRequests), 2);
        QCOMPARE(harness.api.counters().requests, 3);
        QCOMPARE(harness.api.records().size(), 4);
        QCOMPARE(harness.api.counters().duplicates, 0);
    }

    void aRateLimitLongerThanTheRunCanWaitEndsTheBatchForTheNextRun()
    {
        FakeApiConfig config;
        config.retryAfterSeconds = 3600;
        Harness harness(config);
        auto destination = harness.open({ { QStringLiteral("batch_size"), 1 }, { QStringLiteral("concurrency"), 1 } });
        harness.api.scriptFaults({ Fault::TooManyRequests });
        auto outcomes = destination->deliver(Batch { QStringLiteral("people"), upserts(3) }, CancellationToken());
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("http.rate_limited"));
        QVERIFY(outcomes.error().retryable);
        QCOMPARE(harness.api.counters().requests, 1);
        QCOMPARE(harness.api.records().size(), 0);
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

    void aServerWithAnUntrustedCertificateIsRefused()
    {
        QTemporaryDir dir;
        const QString key = dir.filePath(QStringLiteral("key.pem")), cert = dir.filePath(QStringLiteral("cert.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                QStringLiteral("/CN=127.0.0.1") });
        if (!openssl.waitForFinished(60'000) || openssl.exitCode() != 0)
            QSKIP("openssl could not make a self-signed certificate");
        QFile keyFile(key), certFile(cert);
        QVERIFY(keyFile.open(QIODevice::ReadOnly) && certFile.open(QIODevice::ReadOnly));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
        QSslServer server;
        server.setSslConfiguration(tls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int accepted = 0;
        connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                ++accepted;
                socket->deleteLater();
            }
        });

        Harness harness;
        DestinationDef destination
            = httpDestination(QUrl(QStringLiteral("https://127.0.0.1:%1/records").arg(server.serverPort())));
        auto created = HttpDestination::connectorType(harness.pool).create(destination, harness.secrets);
        QVERIFY(created);
        auto outcomes = (*created)->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken());
        QVERIFY(!outcomes);
        QCOMPARE(outcomes.error().code, QStringLiteral("http.tls"));
        QVERIFY2(
            outcomes.error().message.contains(QStringLiteral("not trusted")), qPrintable(outcomes.error().message));
        QCOMPARE(accepted, 0); // the handshake never completed, so no request was ever read
    }

    void serverErrorsAreRetried()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("max_attempts"), 4 } });
        harness.api.scriptFaults({ Fault::InternalError, Fault::BadGateway, Fault::Unavailable });
        const auto outcomes = harness.deliver(*destination, upserts(5));
        QCOMPARE(acceptedCount(outcomes), 5);
        QCOMPARE(harness.api.counters().requests, 4);
        QCOMPARE(harness.api.records().size(), 5);
        QCOMPARE(harness.api.counters().upsertsApplied, 5);
        // Every attempt is in the inspector, the failed ones marked failed.
        QCOMPARE(int(harness.recorder.exchanges.size()), 4);
        QCOMPARE(int(std::count_if(harness.recorder.exchanges.begin(), harness.recorder.exchanges.end(),
                     [](const Exchange &e) { return e.failed; })),
            3);
    }

    void aRequestWithoutAnswerTimesOutAndIsRetried()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("timeout"), QStringLiteral("300ms") } });
        harness.api.scriptFaults({ Fault::NoReply });
        const auto outcomes = harness.deliver(*destination, upserts(3));
        QCOMPARE(acceptedCount(outcomes), 3);
        QCOMPARE(harness.api.counters().requests, 2);
        QCOMPARE(harness.api.records().size(), 3);
        QCOMPARE(harness.recorder.exchanges.front().status, 0);
        QVERIFY(harness.recorder.exchanges.front().failed);
    }

    void aConnectionResetMidResponseIsRetried()
    {
        Harness harness;
        auto destination = harness.open();
        harness.api.scriptFaults({ Fault::ResetMidResponse });
        const auto outcomes = harness.deliver(*destination, upserts(3));
        QCOMPARE(acceptedCount(outcomes), 3);
        QCOMPARE(harness.api.counters().fault(Fault::ResetMidResponse), 1);
        QCOMPARE(harness.api.records().size(), 3);
        // Qt's HTTP layer itself resends a request whose connection dropped before the status
        // line (for every method); the connector saw one exchange. Upserts land in the same state.
        QCOMPARE(int(harness.recorder.exchanges.size()), 1);
        QCOMPARE(harness.recorder.exchanges.front().status, 200);
        const auto perKey = harness.api.upsertsPerKey();
        for (const QString &key : { QStringLiteral("k0"), QStringLiteral("k1"), QStringLiteral("k2") })
            QVERIFY(perKey.value(key) >= 1);
    }

    void insertsCarryAnIdempotencyKeyStableAcrossAttempts()
    {
        Harness harness;
        auto destination = harness.open();
        harness.api.scriptFaults({ Fault::LostAck });
        const auto outcomes = harness.deliver(*destination,
            { record(Operation::Insert, QStringLiteral("i1")), record(Operation::Insert, QStringLiteral("i2")) });
        QCOMPARE(acceptedCount(outcomes), 2);
        const auto requests = harness.api.requests();
        QCOMPARE(requests.size(), 2);
        const QByteArray key = requests.first().header("Idempotency-Key");
        QCOMPARE(key.size(), 32);
        QCOMPARE(requests.last().header("Idempotency-Key"), key);
        harness.deliver(*destination, upserts(1));
        QVERIFY(harness.api.requests().last().header("Idempotency-Key").isEmpty());
    }

    void aLostAcknowledgementIsResentAndUpsertsStayIdempotent()
    {
        Harness harness;
        auto destination = harness.open();
        harness.api.scriptFaults({ Fault::LostAck });
        const auto outcomes = harness.deliver(*destination, upserts(3));
        QCOMPARE(acceptedCount(outcomes), 3);
        // The write landed before the acknowledgement was lost, so it landed twice: for upserts the
        // API ends in the same state (this is why inserts are documented as possibly duplicated).
        QCOMPARE(harness.api.counters().upsertsApplied, 6);
        QCOMPARE(harness.api.records().size(), 3);
    }

    void malformedJsonInASuccessWithErrorsPathIsRetried()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("operations"),
            QVariantMap { { QStringLiteral("upsert"),
                QVariantMap { { QStringLiteral("errors_path"), QStringLiteral("results[].error") } } } } } });
        harness.api.scriptFaults({ Fault::MalformedJson });
        const auto outcomes = harness.deliver(*destination, upserts(4));
        QCOMPARE(acceptedCount(outcomes), 4);
        QCOMPARE(harness.api.counters().requests, 2);
        QCOMPARE(harness.api.records().size(), 4);
    }

    void malformedJsonUntilTheLastAttemptLeavesRowsForTheNextRun()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("max_attempts"), 2 },
            { QStringLiteral("operations"),
                QVariantMap { { QStringLiteral("upsert"),
                    QVariantMap { { QStringLiteral("errors_path"), QStringLiteral("results[].error") } } } } } });
        harness.api.scriptFaults({ Fault::MalformedJson, Fault::MalformedJson });
        const auto outcomes = harness.deliver(*destination, upserts(2));
        QCOMPARE(acceptedCount(outcomes), 0);
        for (const RecordOutcome &outcome : outcomes) {
            QVERIFY(outcome.retryable);
            QVERIFY2(outcome.error.contains(QStringLiteral("not JSON")), qPrintable(outcome.error));
        }
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

    void exhaustedRetriesLeaveRetryableRejections()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("max_attempts"), 3 }, { QStringLiteral("batch_size"), 2 } });
        harness.api.scriptFaults({ Fault::InternalError, Fault::InternalError, Fault::InternalError });
        // One request of two records fails three times.
        const auto outcomes = harness.deliver(*destination, upserts(2));
        QCOMPARE(acceptedCount(outcomes), 0);
        for (const RecordOutcome &outcome : outcomes) {
            QVERIFY(outcome.retryable);
            QVERIFY2(outcome.error.contains(QStringLiteral("3 attempts"))
                    && outcome.error.contains(QStringLiteral("HTTP 500")),
                qPrintable(outcome.error));
        }
        QCOMPARE(harness.api.counters().requests, 3);
        QCOMPARE(harness.api.records().size(), 0);
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

QTEST_GUILESS_MAIN(TestHttpDestination)
#include "tst_httpdestination.moc"
