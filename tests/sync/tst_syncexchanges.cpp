// The runner gives its connector a request inspector: what the connector records is stored with
// the run (also for a batch that failed and was released), scrubbed of the destination's secret
// values, written in the runner's own transactions.
#include "engine/state/exchangestore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"

#include "syncfixture.h"

using namespace synctest;
using namespace syncline::engine;

namespace {

const QString kToken = QStringLiteral("tok-7f3a9b2c-secret-value");

// Resolves every reference to one value, as a keychain holding the destination's token would.
class OneSecret final : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &) override { return kToken; }
};

// The fixture's fake destination, recording one exchange per batch the way an HTTP connector would.
class RecordingConnector final : public connector::Connector
{
public:
    explicit RecordingConnector(std::shared_ptr<FakeDestination> state)
        : m_fake(std::move(state))
    { }
    void setRunContext(const connector::RunContext &context) override { m_context = context; }
    connector::Capabilities capabilities() const override { return m_fake.capabilities(); }
    Result<std::vector<connector::ObjectSpec>> objects() override { return m_fake.objects(); }
    Result<connector::ObjectSpec> object(const QString &name) override { return m_fake.object(name); }
    Result<void> beginRun(const QString &object) override { return m_fake.beginRun(object); }
    Result<std::vector<connector::RecordOutcome>> deliver(
        const connector::Batch &batch, const CancellationToken &cancellation) override
    {
        auto outcomes = m_fake.deliver(batch, cancellation);
        if (m_context.exchanges) {
            connector::Exchange exchange;
            exchange.method = QStringLiteral("POST");
            exchange.url = QStringLiteral("https://api.example.com/%1?batch=%2").arg(batch.object).arg(++m_batches);
            exchange.status = outcomes ? 200 : 503;
            exchange.failed = !outcomes;
            exchange.error = outcomes ? QString() : outcomes.error().message;
            exchange.requestHeaders
                = { { "Authorization", "Bearer " + kToken.toUtf8() }, { "X-Echo", kToken.toUtf8() } };
            exchange.requestBody = "{\"first\":\"" + QByteArray::fromStdString(batch.records.front().key)
                + "\",\"t\":\"" + kToken.toUtf8() + "\"}";
            m_context.exchanges->record(exchange);
        }
        return outcomes;
    }
    Result<void> finishRun(bool ok) override { return m_fake.finishRun(ok); }

private:
    FakeConnector m_fake;
    connector::RunContext m_context;
    int m_batches = 0;
};

} // namespace

class TestSyncExchanges : public QObject
{
    Q_OBJECT

private slots:
    void exchangesAreStoredWithTheRunEvenForAFailedBatch()
    {
        SyncSetup setup;
        setup.warehouse->exec("INSERT INTO people VALUES (1, 'a', 1, 'j'), (2, 'b', 2, 'j'), (3, 'c', 3, 'j')");
        setup.destination->maxBatchSize = 1;
        auto state = setup.destination;
        setup.registry.add(connector::ConnectorType { QStringLiteral("fake"), QStringLiteral("Fake"), {},
            [state](const DestinationDef &, SecretResolver &) -> Result<std::unique_ptr<connector::Connector>> {
                return std::make_unique<RecordingConnector>(state);
            } });
        DestinationDef destination { QStringLiteral("dest"), QStringLiteral("fake"), {}, {} };
        destination.secrets.insert(
            QStringLiteral("token"), SecretRef { SecretRef::Kind::Env, QStringLiteral("FAKE_TOKEN") });
        SyncSetup::check(state::DefinitionStore(*setup.workspace).saveDestination(destination));
        // The third batch fails for good: the run stops, and that batch is released.
        setup.destination->onBatch = [state](int batch) { state->failFatally = batch == 2; };

        OneSecret secrets;
        const sync::EngineServices services { *setup.workspace, setup.registry, secrets, setup.diagnostics };
        auto result = sync::SyncRunner(services).run(setup.sync.name);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QVERIFY(result->run);
        QCOMPARE(result->run->status, QStringLiteral("failed"));
        QCOMPARE(result->run->counts.accepted, qint64(2));

        state::ExchangeStore store(*setup.workspace);
        auto totals = store.totals(result->run->id);
        QVERIFY(totals);
        QCOMPARE(totals->recorded, qint64(3));
        QCOMPARE(totals->failed, qint64(1));
        auto exchanges = store.exchanges(result->run->id, false);
        QVERIFY(exchanges);
        QCOMPARE(exchanges->size(), size_t(3));
        QCOMPARE(exchanges->at(2).url, QStringLiteral("https://api.example.com/people?batch=3"));
        QVERIFY(exchanges->at(2).failed);
        QCOMPARE(exchanges->at(2).error, QStringLiteral("the fake destination is down"));
        const QList<QPair<QByteArray, QByteArray>> headers { { "Authorization", "[redacted]" },
            { "X-Echo", "[redacted]" } };
        for (const auto &exchange : *exchanges) {
            QCOMPARE(exchange.request.headers, headers);
            QVERIFY2(exchange.request.body.endsWith("\",\"t\":\"[redacted]\"}"), exchange.request.body.constData());
        }
        auto failedOnly = store.exchanges(result->run->id, true);
        QVERIFY(failedOnly && failedOnly->size() == 1 && failedOnly->front().seq == 3);
    }
};

QTEST_GUILESS_MAIN(TestSyncExchanges)
#include "tst_syncexchanges.moc"
