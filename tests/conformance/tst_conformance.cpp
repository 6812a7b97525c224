// The conformance suite: every scenario for every registered vendor (vendorfixture.h), through
// Stoplight Prism in proxy mode in front of the vendor's stateful fake, so both the connector's
// requests and the fake's answers are checked against the vendor's contract; each scenario ends
// with the fake holding exactly the model. Plus, per vendor, one deliberately malformed request
// per write operation that Prism must refuse. Without ../shared or Prism the scenarios run
// straight against the fake and the Prism checks skip with a reason
// (SYNCLINE_CONFORMANCE_REQUIRE_PRISM=1, or CI=true with ../shared present, makes a missing Prism a failure).
// SYNCLINE_CONFORMANCE_VENDOR=<vendor> runs one vendor's rows only (ctest runs one test per vendor);
// SYNCLINE_CONFORMANCE_VERBOSE=1 prints the tail of Prism's log after each scenario.
#include "tests/conformance/conformancesetup.h"
#include "tests/conformance/prismprocess.h"
#include "tests/fakes/fakehttphost.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace syncline::conformance;
using syncline::engine::CancellationToken;

namespace {

enum class Scenario {
    FirstSync,
    Update,
    RemovedRows,
    PartialFailure,
    RateLimit,
    ExpiredToken,
    Cancellation,
    Sigkill,
    RerunSendsNothing
};

const std::vector<std::pair<Scenario, const char *>> kScenarios {
    { Scenario::FirstSync, "first sync" },
    { Scenario::Update, "update" },
    { Scenario::RemovedRows, "removed rows" },
    { Scenario::PartialFailure, "partial batch failure" },
    { Scenario::RateLimit, "rate limit" },
    { Scenario::ExpiredToken, "expired token" },
    { Scenario::Cancellation, "cancellation mid-run" },
    { Scenario::Sigkill, "SIGKILL mid-run, then rerun" },
    { Scenario::RerunSendsNothing, "rerun sends nothing" },
};

bool vendorSelected(const QString &vendor)
{
    const QString only = qEnvironmentVariable("SYNCLINE_CONFORMANCE_VENDOR");
    return only.isEmpty() || only == vendor;
}

// The vendor's fixture with its fake started, and Prism in front of it when it can run here.
struct World
{
    std::unique_ptr<VendorFixture> fixture;
    PrismProcess prism;
    QUrl apiBase;
    QString prismSkipped; // why the Prism layer is not in the path, empty when it is

    QString start(const FixtureFactory &factory)
    {
        fixture = factory();
        QString error;
        if (!fixture->start(&error))
            return QStringLiteral("the fake did not start: ") + error;
        apiBase = fixture->fakeUrl();
        prismSkipped = PrismProcess::unavailableReason(fixture->specFile());
        if (!prismSkipped.isEmpty()) {
            // In CI (CI=true, ../shared beside the clone) a missing Prism is a failure, never a skip.
            const bool ciWithSpecs
                = qEnvironmentVariable("CI") == QLatin1String("true") && !PrismProcess::specsDirectory().isEmpty();
            if (qEnvironmentVariableIntValue("SYNCLINE_CONFORMANCE_REQUIRE_PRISM") || ciWithSpecs)
                return QStringLiteral("Prism is required here: ") + prismSkipped;
            return {};
        }
        if (!prism.start(fixture->specFile(), fixture->fakeUrl(), &error))
            return error;
        apiBase = prism.url();
        return {};
    }
    // Prism's log tail, for failure messages (it names spec violations).
    QString log() const
    {
        return prismSkipped.isEmpty() ? QStringLiteral("\nPrism's log:\n") + prism.output().right(1500) : QString();
    }
};

QString runStatus(const syncline::engine::Result<syncline::engine::state::RunInfo> &run)
{
    if (!run)
        return QStringLiteral("error: ") + run.error().message;
    return run->status + (run->error.isEmpty() ? QString() : QStringLiteral(" (") + run->error + QLatin1Char(')'));
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void scenarioEndsWithTheFakeEqualToTheModel_data();
    void scenarioEndsWithTheFakeEqualToTheModel();
    void prismRefusesAMalformedRequestPerWriteOperation_data();
    void prismRefusesAMalformedRequestPerWriteOperation();
    void prismTurnsAnAnswerThatBreaksTheSpecIntoA500();

private:
    void runScenario(Scenario scenario, World &world, ConformanceSetup &setup);
};

void TestConformance::initTestCase()
{
    QVERIFY2(!registeredVendors().empty(), "no vendor fixture is registered (tests/conformance/vendors/)");
    if (const QString why = PrismProcess::unavailableReason(QStringLiteral("hubspot_crm_objects_v3_contract.json"));
        !why.isEmpty())
        qWarning("Prism layer skipped: %s", qPrintable(why));
}

void TestConformance::scenarioEndsWithTheFakeEqualToTheModel_data()
{
    QTest::addColumn<int>("vendor");
    QTest::addColumn<int>("scenario");
    for (int v = 0; v < int(registeredVendors().size()); ++v) {
        if (!vendorSelected(registeredVendors()[size_t(v)].first))
            continue;
        for (const auto &[scenario, name] : kScenarios)
            QTest::addRow("%s: %s", qPrintable(registeredVendors()[size_t(v)].first), name) << v << int(scenario);
    }
}

void TestConformance::scenarioEndsWithTheFakeEqualToTheModel()
{
    QFETCH(int, vendor);
    QFETCH(int, scenario);
    World world;
    const QString started = world.start(registeredVendors()[size_t(vendor)].second);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    if (Scenario(scenario) == Scenario::ExpiredToken && !world.fixture->traits().refreshesTokens)
        QSKIP(qPrintable(world.fixture->traits().noRefreshReason));
    ConformanceSetup setup(*world.fixture, world.apiBase);
    QVERIFY2(setup.error().isEmpty(), qPrintable(setup.error()));
    runScenario(Scenario(scenario), world, setup);
    if (qEnvironmentVariableIntValue("SYNCLINE_CONFORMANCE_VERBOSE"))
        qInfo("%s", qPrintable(world.log()));
}

#define EXPECT_RUN(expression, wanted)                                                                                 \
    do {                                                                                                               \
        const auto &ran_ = (expression);                                                                               \
        QVERIFY2(ran_ && ran_->status == QLatin1String(wanted),                                                        \
            qPrintable(QStringLiteral("the run ended %1, expected %2%3")                                               \
                           .arg(runStatus(ran_), QStringLiteral(wanted), world.log())));                               \
    } while (false)
#define EXPECT_EQUAL_TO_MODEL(...)                                                                                     \
    do {                                                                                                               \
        const QString diff = setup.differences(__VA_ARGS__);                                                           \
        QVERIFY2(diff.isEmpty(), qPrintable(diff + world.log()));                                                      \
    } while (false)

void TestConformance::runScenario(Scenario scenario, World &world, ConformanceSetup &setup)
{
    VendorFixture &fixture = *world.fixture;
    const qint64 rows = fixture.traits().rows;
    switch (scenario) {
    case Scenario::FirstSync: {
        auto run = setup.run();
        EXPECT_RUN(run, "succeeded");
        QCOMPARE(run->counts.accepted, rows);
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::Update: {
        EXPECT_RUN(setup.run(), "succeeded");
        setup.updateRows(1, rows / 3, 2);
        setup.insertRows(rows + 1, rows + 10);
        auto run = setup.run();
        EXPECT_RUN(run, "succeeded");
        QCOMPARE(run->counts.accepted, rows / 3 + 10);
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::RemovedRows: {
        EXPECT_RUN(setup.run(), "succeeded");
        setup.deleteRows(rows - 11, rows);
        auto run = setup.run();
        EXPECT_RUN(run, "succeeded");
        QCOMPARE(run->counts.accepted, 12);
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::PartialFailure: {
        QSet<QString> refused;
        for (const ModelRow &row : setup.model()) {
            if (row.id % 9 == 4)
                refused.insert(setup.matchValue(row));
        }
        fixture.rejectRecords(refused);
        auto run = setup.run();
        EXPECT_RUN(run, "partial");
        QCOMPARE(run->counts.rejected, qint64(refused.size()));
        QCOMPARE(run->counts.accepted, rows - refused.size());
        EXPECT_EQUAL_TO_MODEL(refused);
        fixture.rejectRecords({});
        auto again = setup.run();
        EXPECT_RUN(again, "succeeded");
        QCOMPARE(again->counts.accepted, qint64(refused.size())); // only the refused rows went again
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::RateLimit: {
        fixture.rateLimitNext(3);
        EXPECT_RUN(setup.run(), "succeeded");
        QVERIFY2(fixture.counters().rateLimited >= 3, "the fake's 429s were not all answered");
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::ExpiredToken: {
        EXPECT_RUN(setup.run(), "succeeded");
        const FakeCounters before = fixture.counters();
        fixture.expireTokens();
        setup.updateRows(1, 30, 3);
        EXPECT_RUN(setup.run(), "succeeded");
        const FakeCounters after = fixture.counters();
        QVERIFY2(after.tokenGrants > before.tokenGrants, "the connector did not get a new access token");
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::Cancellation: {
        fixture.setWriteLatency(250);
        CancellationToken cancellation;
        std::atomic<bool> done { false };
        std::thread watcher([&] {
            // Cancel once two writes were received: the run is then mid-way.
            for (int waited = 0; waited < 60000 && !done; waited += 5) {
                if (fixture.counters().writeRequests >= 2) {
                    cancellation.cancel();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
        auto run = setup.run(cancellation);
        done = true;
        watcher.join();
        EXPECT_RUN(run, "cancelled");
        QVERIFY2(fixture.records().size() < rows, "the cancellation came after every record was delivered");
        fixture.setWriteLatency(0);
        EXPECT_RUN(setup.run(), "succeeded");
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::Sigkill: {
        fixture.setWriteLatency(250);
        auto cli = setup.startCli({ QStringLiteral("run"), kSyncName });
        QVERIFY(cli->waitForStarted());
        QElapsedTimer waited;
        waited.start();
        while (fixture.counters().writeRequests < 2) {
            QVERIFY2(!cli->waitForFinished(5),
                qPrintable(QStringLiteral("the run ended before the kill: ")
                    + QString::fromUtf8(cli->readAllStandardError())));
            QVERIFY2(waited.elapsed() < 60000, "the run sent nothing for a minute");
        }
        cli->kill(); // SIGKILL
        cli->waitForFinished();
        QVERIFY2(fixture.records().size() < rows, "the kill came after every record was delivered");
        fixture.setWriteLatency(0);
        const CliResult rerun = setup.cli({ QStringLiteral("run"), kSyncName, QStringLiteral("--json") });
        QVERIFY2(rerun.exitCode == 0, qPrintable(QString::fromUtf8(rerun.err) + world.log()));
        QCOMPARE(rerun.json().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        const CliResult plan = setup.cli({ QStringLiteral("plan"), kSyncName, QStringLiteral("--json") });
        QVERIFY2(plan.exitCode == 0, plan.err.constData());
        QCOMPARE(plan.json().value(QStringLiteral("to_send")).toInteger(), 0);
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    case Scenario::RerunSendsNothing: {
        EXPECT_RUN(setup.run(), "succeeded");
        const int writes = fixture.counters().writeRequests;
        auto rerun = setup.run();
        EXPECT_RUN(rerun, "succeeded");
        QCOMPARE(rerun->counts.sent, 0);
        QCOMPARE(fixture.counters().writeRequests, writes);
        EXPECT_EQUAL_TO_MODEL();
        break;
    }
    }
}

void TestConformance::prismRefusesAMalformedRequestPerWriteOperation_data()
{
    QTest::addColumn<int>("vendor");
    for (int v = 0; v < int(registeredVendors().size()); ++v) {
        if (vendorSelected(registeredVendors()[size_t(v)].first))
            QTest::addRow("%s", qPrintable(registeredVendors()[size_t(v)].first)) << v;
    }
}

void TestConformance::prismRefusesAMalformedRequestPerWriteOperation()
{
    QFETCH(int, vendor);
    World world;
    const QString started = world.start(registeredVendors()[size_t(vendor)].second);
    QVERIFY2(started.isEmpty(), qPrintable(started));
    if (!world.prismSkipped.isEmpty())
        QSKIP(qPrintable(world.prismSkipped));
    const QList<MalformedRequest> requests = world.fixture->malformedRequests();
    QVERIFY2(!requests.isEmpty(), "the fixture gives no malformed request");
    QNetworkAccessManager network;
    QStringList failures;
    for (const MalformedRequest &malformed : requests) {
        const int writesBefore = world.fixture->counters().writeRequests;
        QNetworkRequest request(QUrl(world.apiBase.toString() + malformed.pathAndQuery));
        for (const auto &[name, value] : malformed.headers)
            request.setRawHeader(name, value);
        request.setTransferTimeout(15000);
        QNetworkReply *reply = network.sendCustomRequest(request, malformed.method, malformed.body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 400 && status != 422)
            failures << QStringLiteral("%1: HTTP %2 (%3)")
                            .arg(malformed.name)
                            .arg(status)
                            .arg(QString::fromUtf8(reply->readAll().left(200)));
        else if (world.fixture->counters().writeRequests != writesBefore)
            failures << QStringLiteral("%1: refused, but it reached the fake").arg(malformed.name);
        reply->deleteLater();
    }
    QVERIFY2(failures.isEmpty(),
        qPrintable(QStringLiteral("Prism let malformed requests through: ") + failures.join(QStringLiteral("; "))));
}

void TestConformance::prismTurnsAnAnswerThatBreaksTheSpecIntoA500()
{
    // The other half of the Prism layer, checked once for the framework: a valid request whose
    // upstream answers outside the contract (a batch answer without its required "results") must
    // come back as a 500 naming the violation, so a wrong fake can never hide a wrong connector.
    if (!vendorSelected(QStringLiteral("hubspot")))
        QSKIP("checked once, with the HubSpot contract, in tst_conformance_hubspot");
    const QString spec = QStringLiteral("hubspot_crm_objects_v3_contract.json");
    if (const QString why = PrismProcess::unavailableReason(spec); !why.isEmpty())
        QSKIP(qPrintable(why));
    syncline::testfakes::FakeHttpHost wrong([](const syncline::testfakes::HttpRequest &) {
        syncline::testfakes::FakeReply reply;
        reply.headers.emplaceBack("Content-Type", "application/json");
        reply.body
            = R"({"status":"COMPLETE","startedAt":"2026-12-01T13:00:00.000Z","completedAt":"2026-12-01T13:00:00.100Z"})";
        return reply;
    });
    QString error;
    QVERIFY2(wrong.start(0, &error), qPrintable(error));
    PrismProcess prism;
    QVERIFY2(prism.start(spec, wrong.url(), &error), qPrintable(error));
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(prism.url().toString() + QStringLiteral("/crm/v3/objects/contacts/batch/upsert")));
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Authorization", "Bearer pat-na1-test");
    request.setTransferTimeout(15000);
    QNetworkReply *reply = network.post(request,
        QByteArray(R"({"inputs":[{"idProperty":"email","id":"a@example.com","properties":{"firstname":"A"}}]})"));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray violations = reply->rawHeader("sl-violations");
    reply->deleteLater();
    QCOMPARE(status, 500);
    QVERIFY2(violations.contains("results"), violations.constData());
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
