// The connector registry: types are found by id, unknown types fail with the known ones listed,
// and the built-in registration offers the file destination with its settings schema.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::connector;

namespace {

class NoSecrets final : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &ref) override
    {
        return fail(QStringLiteral("secret.missing"), QStringLiteral("no secret %1").arg(ref.name));
    }
};

class NullConnector final : public Connector
{
public:
    Capabilities capabilities() const override { return {}; }
    Result<std::vector<ObjectSpec>> objects() override { return std::vector<ObjectSpec> {}; }
    Result<ObjectSpec> object(const QString &name) override { return ObjectSpec { name, name, true, {} }; }
    Result<void> beginRun(const QString &) override { return {}; }
    Result<std::vector<RecordOutcome>> deliver(const Batch &batch, const CancellationToken &) override
    {
        return std::vector<RecordOutcome>(batch.records.size());
    }
    Result<void> finishRun(bool) override { return {}; }
};

ConnectorType fakeType(const QString &id, const QString &label)
{
    ConnectorType type;
    type.id = id;
    type.label = label;
    type.create = [](const DestinationDef &, SecretResolver &) -> Result<std::unique_ptr<Connector>> {
        return std::make_unique<NullConnector>();
    };
    return type;
}

} // namespace

class ConnectorRegistryTest : public QObject
{
    Q_OBJECT

private slots:
    void operationNamesAreTheYamlWords()
    {
        QCOMPARE(operationName(Operation::Upsert), QStringLiteral("upsert"));
        QCOMPARE(operationName(Operation::Update), QStringLiteral("update"));
        QCOMPARE(operationName(Operation::Insert), QStringLiteral("insert"));
        QCOMPARE(operationName(Operation::Delete), QStringLiteral("delete"));
        QCOMPARE(operationName(Operation::Clear), QStringLiteral("clear"));
    }

    void registeredTypeIsFoundAndCreated()
    {
        ConnectorRegistry registry;
        registry.add(fakeType(QStringLiteral("fake"), QStringLiteral("Fake")));
        QVERIFY(registry.find(QStringLiteral("fake")) != nullptr);
        QCOMPARE(registry.find(QStringLiteral("fake"))->label, QStringLiteral("Fake"));
        QVERIFY(registry.find(QStringLiteral("other")) == nullptr);

        NoSecrets secrets;
        DestinationDef destination { QStringLiteral("d"), QStringLiteral("fake"), {}, {} };
        auto connector = registry.create(destination, secrets);
        QVERIFY2(connector.has_value(), qPrintable(connector ? QString() : connector.error().message));
        QVERIFY(*connector != nullptr);
    }

    void addingAnIdAgainReplacesTheEarlierType()
    {
        ConnectorRegistry registry;
        registry.add(fakeType(QStringLiteral("fake"), QStringLiteral("First")));
        registry.add(fakeType(QStringLiteral("fake"), QStringLiteral("Second")));
        QCOMPARE(registry.types().size(), size_t(1));
        QCOMPARE(registry.find(QStringLiteral("fake"))->label, QStringLiteral("Second"));
    }

    void unknownTypeFailsListingTheKnownTypes()
    {
        ConnectorRegistry registry;
        registry.add(fakeType(QStringLiteral("alpha"), QStringLiteral("A")));
        registry.add(fakeType(QStringLiteral("beta"), QStringLiteral("B")));
        NoSecrets secrets;
        DestinationDef destination { QStringLiteral("crm"), QStringLiteral("hubspott"), {}, {} };
        auto connector = registry.create(destination, secrets);
        QVERIFY(!connector.has_value());
        QCOMPARE(connector.error().code, QStringLiteral("destination.unknown_type"));
        QVERIFY2(connector.error().message.contains(QStringLiteral("hubspott")), qPrintable(connector.error().message));
        QVERIFY2(connector.error().message.contains(QStringLiteral("crm")), qPrintable(connector.error().message));
        QVERIFY2(
            connector.error().message.contains(QStringLiteral("alpha, beta")), qPrintable(connector.error().message));
    }

    void builtinsOfferTheFileDestinationWithItsSettings()
    {
        ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        const ConnectorType *file = registry.find(QStringLiteral("file"));
        QVERIFY(file != nullptr);
        QCOMPARE(file->settings.size(), size_t(3));
        QCOMPARE(file->settings[0].key, QStringLiteral("folder"));
        QCOMPARE(file->settings[0].type, SettingSpec::Type::Path);
        QVERIFY(file->settings[0].required);
        QCOMPARE(file->settings[1].key, QStringLiteral("format"));
        QCOMPARE(file->settings[1].choices, QStringList({ QStringLiteral("csv"), QStringLiteral("jsonl") }));
        QCOMPARE(file->settings[1].defaultValue.toString(), QStringLiteral("jsonl"));
        QCOMPARE(file->settings[2].key, QStringLiteral("layout"));
        QCOMPARE(file->settings[2].choices, QStringList({ QStringLiteral("snapshot"), QStringLiteral("changes") }));
        QCOMPARE(file->settings[2].defaultValue.toString(), QStringLiteral("snapshot"));

        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        NoSecrets secrets;
        DestinationDef destination { QStringLiteral("exports"), QStringLiteral("file"),
            { { QStringLiteral("folder"), folder.path() } }, {} };
        auto connector = registry.create(destination, secrets);
        QVERIFY2(connector.has_value(), qPrintable(connector ? QString() : connector.error().message));
        const Capabilities capabilities = (*connector)->capabilities();
        QCOMPARE(capabilities.operations.size(), size_t(5));
    }

    // `syncline-cli connectors` shows what a type can do without creating an instance; an
    // instance may narrow that, never widen it.
    void everyBuiltinTypeDeclaresWhatItsInstancesCanDo()
    {
        ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        for (const ConnectorType &type : registry.types()) {
            QVERIFY2(!type.capabilities.operations.empty(), qPrintable(type.id));
            QVERIFY2(type.capabilities.maxBatchSize > 0, qPrintable(type.id));
        }
        QTemporaryDir folder;
        NoSecrets secrets;
        auto file = registry.create(DestinationDef { QStringLiteral("exports"), QStringLiteral("file"),
                                        { { QStringLiteral("folder"), folder.path() } }, {} },
            secrets);
        QVERIFY(file);
        QCOMPARE((*file)->capabilities().operations, registry.find(QStringLiteral("file"))->capabilities.operations);
    }
};

QTEST_GUILESS_MAIN(ConnectorRegistryTest)
#include "tst_connectorregistry.moc"
