// One fault at a time on the first request of a one-request sync through the `http`
// destination: the run succeeds, the API holds the model, and a fault the API answered before
// writing anything leaves every record written exactly once (no hidden resend by the HTTP stack
// or the connector). After a lost acknowledgement the batch may arrive twice, never more.
#include "httpsyncsetup.h"

using namespace httptest;
using namespace syncline::engine;
using syncline::testfakes::Fault;

class TestWrittenOnce : public QObject
{
    Q_OBJECT
private slots:
    void faultOnTheFirstRequestIsSurvivedWithoutDuplicates_data();
    void faultOnTheFirstRequestIsSurvivedWithoutDuplicates();
    void insertsAreWrittenOnceByAnApiHonouringIdempotencyKeys_data();
    void insertsAreWrittenOnceByAnApiHonouringIdempotencyKeys();
};

void TestWrittenOnce::faultOnTheFirstRequestIsSurvivedWithoutDuplicates_data()
{
    QTest::addColumn<int>("fault");
    QTest::addColumn<int>("maxWrites"); // per record
    QTest::newRow("429 with Retry-After") << int(Fault::TooManyRequests) << 1;
    QTest::newRow("500") << int(Fault::InternalError) << 1;
    QTest::newRow("502") << int(Fault::BadGateway) << 1;
    QTest::newRow("503") << int(Fault::Unavailable) << 1;
    QTest::newRow("no reply (timeout)") << int(Fault::NoReply) << 1;
    QTest::newRow("reset mid-response") << int(Fault::ResetMidResponse) << 1;
    QTest::newRow("lost acknowledgement") << int(Fault::LostAck) << 2;
    QTest::newRow("malformed JSON reply") << int(Fault::MalformedJson) << 1;
}

void TestWrittenOnce::faultOnTheFirstRequestIsSurvivedWithoutDuplicates()
{
    QFETCH(int, fault);
    QFETCH(int, maxWrites);
    FakeApi api;
    QString error;
    QVERIFY2(api.start(0, &error), qPrintable(error));
    const int rows = 10;
    HttpSyncSetup setup(api, rows,
                        QVariantMap{{QStringLiteral("batch_size"), rows}, {QStringLiteral("timeout"), QStringLiteral("1s")}});
    api.scriptFaults({Fault(fault)});

    auto result = runSync(setup.workspacePath);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
    QVERIFY(result->run);
    QCOMPARE(result->run->counts.accepted, qint64(rows));
    QCOMPARE(result->run->status, QStringLiteral("succeeded"));
    const QString diff = differences(api, setup.model());
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QCOMPARE(api.counters().fault(Fault(fault)), 1);

    QStringList statuses;
    for (const auto &request : api.requests())
        statuses << (request.status ? QString::number(request.status) : QStringLiteral("none"));
    const QHash<QString, int> writes = api.upsertsPerKey();
    for (auto it = writes.cbegin(); it != writes.cend(); ++it)
        QVERIFY2(it.value() <= maxWrites, qPrintable(QStringLiteral("record %1 was written %2 times; the API saw %3 requests, answered: %4")
                                                         .arg(it.key())
                                                         .arg(it.value())
                                                         .arg(api.counters().requests)
                                                         .arg(statuses.join(QStringLiteral(", ")))));
}

void TestWrittenOnce::insertsAreWrittenOnceByAnApiHonouringIdempotencyKeys_data()
{
    QTest::addColumn<int>("fault");
    QTest::newRow("500") << int(Fault::InternalError);
    QTest::newRow("reset mid-response") << int(Fault::ResetMidResponse);
    QTest::newRow("lost acknowledgement") << int(Fault::LostAck);
    QTest::newRow("lost acknowledgement twice") << -1;
}

// An insert-only sync sends Idempotency-Key; an API that honours it writes each row once,
// whatever was resent (by the connector or by the HTTP stack) after a lost acknowledgement.
void TestWrittenOnce::insertsAreWrittenOnceByAnApiHonouringIdempotencyKeys()
{
    QFETCH(int, fault);
    syncline::testfakes::FakeApiConfig config;
    config.honourIdempotencyKeys = true;
    FakeApi api(config);
    QString error;
    QVERIFY2(api.start(0, &error), qPrintable(error));
    const int rows = 10;
    HttpSyncSetup setup(api, rows, QVariantMap{{QStringLiteral("batch_size"), rows}, {QStringLiteral("timeout"), QStringLiteral("1s")}},
                        SyncMode::InsertOnly);
    api.scriptFaults(fault < 0 ? QList<Fault>{Fault::LostAck, Fault::LostAck} : QList<Fault>{Fault(fault)});

    auto result = runSync(setup.workspacePath);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
    QVERIFY(result->run);
    QCOMPARE(result->run->status, QStringLiteral("succeeded"));
    const QString diff = differences(api, setup.model());
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const auto log = api.requests();
    QVERIFY(log.size() >= 2);
    for (const auto &request : log)
        QVERIFY2(!request.header("Idempotency-Key").isEmpty(), "an insert request carried no Idempotency-Key");
    QCOMPARE(api.counters().upsertsApplied, qint64(rows));
    QCOMPARE(api.counters().duplicates, 0);
}

QTEST_GUILESS_MAIN(TestWrittenOnce)
#include "tst_writtenonce.moc"
