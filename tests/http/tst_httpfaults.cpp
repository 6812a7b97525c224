// The http destination through every fault the loopback fake API injects: 429 with Retry-After,
// 500/502/503, requests never answered, connections reset mid-response, acknowledgements lost
// after the write landed, malformed JSON in a success, retries running out, a rate limit longer
// than a run can wait, and an untrusted TLS certificate. Exact counts on both sides.

#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTemporaryDir>

#include "fakeapiharness.h"

using namespace syncline::httptests;
using syncline::testfakes::Fault;
using syncline::testfakes::RejectStyle;

class TestHttpFaults : public QObject
{
    Q_OBJECT

private slots:
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
        // The dropped exchange is the connector's to retry, and the inspector shows both: Qt is
        // never allowed to resend a body on its own (connectors/http/sequentialbody.h).
        QCOMPARE(int(harness.recorder.exchanges.size()), 2);
        QCOMPARE(harness.recorder.exchanges.front().status, 0);
        QVERIFY(harness.recorder.exchanges.front().failed);
        QCOMPARE(harness.recorder.exchanges.back().status, 200);
        QCOMPARE(harness.api.counters().requests, 2);
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

    void aBatchThatGotNoAnswerStopsTheRunAtTheNextBatch()
    {
        Harness harness;
        auto destination = harness.open({ { QStringLiteral("max_attempts"), 2 }, { QStringLiteral("batch_size"), 2 } });
        harness.api.scriptFaults({ Fault::InternalError, Fault::InternalError });
        const auto outcomes = harness.deliver(*destination, upserts(2));
        QCOMPARE(acceptedCount(outcomes), 0);
        QCOMPARE(harness.api.counters().requests, 2);
        // The API is failing every request: the next batch is not sent at all, the run stops with why.
        const auto stopped = destination->deliver(Batch { QStringLiteral("people"), upserts(2) }, CancellationToken());
        QVERIFY(!stopped);
        QCOMPARE(stopped.error().code, QStringLiteral("http.unreachable"));
        QVERIFY2(stopped.error().message.contains(QStringLiteral("HTTP 500")), qPrintable(stopped.error().message));
        QCOMPARE(harness.api.counters().requests, 2);
        QCOMPARE(harness.api.records().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpFaults)
#include "tst_httpfaults.moc"
