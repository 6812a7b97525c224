// The demo sync end to end without the runner: the demo warehouse over SQLite ODBC, the demo's
// mapping compiled against the file destination, every row mapped and delivered as upserts, and
// the CSV snapshot holding exactly the valid rows, with the header the mapping names.

#include "connectors/builtinconnectors.h"
#include "connectors/file/filedestinationstate.h"
#include "engine/connector/connectorregistry.h"
#include "engine/demo/demoworkspace.h"
#include "engine/mapping/mapper.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/warehouse/odbcconnection.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;

namespace {

class NoSecrets final : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &ref) override
    {
        return fail(QStringLiteral("secret.missing"), QStringLiteral("no secret %1").arg(ref.name));
    }
};

#define VERIFY_OK(result) QVERIFY2((result).has_value(), qPrintable((result) ? QString() : (result).error().message))

} // namespace

class DemoDeliveryTest : public QObject
{
    Q_OBJECT

private slots:
    void demoRowsReachTheCsvSnapshot()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("demo.syncline")));
        VERIFY_OK(workspace);
        state::DefinitionStore definitions(**workspace);
        const QString exports = dir.filePath(QStringLiteral("exports"));
        auto installed = demo::installDemoDefinitions(definitions, exports, dir.filePath(QStringLiteral("warehouse")));
        VERIFY_OK(installed);
        auto sync = definitions.sync(demo::DemoNames::sync());
        VERIFY_OK(sync);
        auto model = definitions.model((*sync)->model);
        VERIFY_OK(model);
        auto source = definitions.source((**model).source);
        VERIFY_OK(source);
        auto destinationDef = definitions.destination((*sync)->destination);
        VERIFY_OK(destinationDef);

        connector::ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        NoSecrets secrets;
        auto destination = registry.create(**destinationDef, secrets);
        VERIFY_OK(destination);
        auto object = (*destination)->object((*sync)->object);
        VERIFY_OK(object);

        warehouse::ConnectionSpec spec;
        spec.connectionString = (**source).connection;
        auto connection = warehouse::OdbcConnection::open(spec);
        VERIFY_OK(connection);
        auto cursor = (*connection)->execute((**model).sql);
        VERIFY_OK(cursor);
        auto mapper = mapping::Mapper::compile(**sync, (*cursor)->columns(), (**model).primaryKey, *object);
        VERIFY_OK(mapper);

        VERIFY_OK((*destination)->beginRun((*sync)->object));
        const int batchSize = (*destination)->capabilities().maxBatchSize;
        connector::Batch batch{(*sync)->object, {}};
        QSet<QString> deliveredKeys;
        QStringList invalidReasons;
        qint64 rows = 0;
        mapping::MappedRow mapped;
        QString reason;
        warehouse::RowBatch rowBatch;
        auto send = [&]() -> bool {
            auto outcomes = (*destination)->deliver(batch, CancellationToken());
            if (!outcomes)
                return false;
            for (const connector::RecordOutcome &outcome : *outcomes) {
                if (!outcome.accepted)
                    return false;
            }
            batch.records.clear();
            return true;
        };
        while (true) {
            auto more = (*cursor)->fetch(rowBatch);
            VERIFY_OK(more);
            if (!*more)
                break;
            for (int row = 0; row < rowBatch.rowCount(); ++row, ++rows) {
                if (!mapper->map(rowBatch, row, mapped, &reason)) {
                    invalidReasons << reason;
                    continue;
                }
                // Duplicate keys are the diff's to reject; here the first one wins.
                if (deliveredKeys.contains(QString::fromStdString(mapped.key)))
                    continue;
                deliveredKeys.insert(QString::fromStdString(mapped.key));
                batch.records.push_back({mapped.key, connector::Operation::Upsert, mapped.payload, {}});
                if (int(batch.records.size()) == batchSize)
                    QVERIFY(send());
            }
        }
        if (!batch.records.empty())
            QVERIFY(send());
        VERIFY_OK((*destination)->finishRun(true));

        qInfo("%lld rows, %lld delivered, %lld invalid: %s", rows, qint64(deliveredKeys.size()), qint64(invalidReasons.size()),
              qPrintable(invalidReasons.mid(0, 3).join(QStringLiteral("; "))));
        QVERIFY(rows > 0);
        QVERIFY2(!deliveredKeys.isEmpty(), "no demo row mapped");
        for (const QString &why : invalidReasons)
            QVERIFY2(why.startsWith(QStringLiteral("primary key column id")) || why.startsWith(QStringLiteral("column ")),
                     qPrintable(why));

        QFile csv(exports + QStringLiteral("/customers.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("customer_id,email,full_name,plan,country,seats,lifetime_value,signed_up_on,active,source\r"));
        qint64 dataLines = 0;
        for (qsizetype i = 1; i < lines.size(); ++i)
            dataLines += lines[i].isEmpty() ? 0 : 1;
        QCOMPARE(dataLines, qint64(deliveredKeys.size()));

        auto delivered = syncline::connectors::file::FileDestinationState::open(exports, (*sync)->object);
        VERIFY_OK(delivered);
        QCOMPARE(delivered->presentCount(), qint64(deliveredKeys.size()));
        QCOMPARE(delivered->totalDeliveries(), qint64(deliveredKeys.size()));
    }
};

QTEST_GUILESS_MAIN(DemoDeliveryTest)
#include "tst_demodelivery.moc"
