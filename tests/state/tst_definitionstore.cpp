// The definition store: what a user saves comes back equal, ids survive re-saves, invalid or
// dangling definitions are refused with a message naming the definition and field, and an import
// is all or nothing.
#include "engine/state/definitionstore.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;
using namespace syncline::engine::state;

namespace {

SourceDef warehouse()
{
    return SourceDef { QStringLiteral("warehouse"),
        QStringLiteral("Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=shop;Uid=analyst"),
        SecretRef { SecretRef::Kind::Env, QStringLiteral("WAREHOUSE_PASSWORD") } };
}

ModelDef customers()
{
    return ModelDef { QStringLiteral("customers"), QStringLiteral("warehouse"),
        QStringLiteral("select id, email, first_name, last_name\nfrom customers"), { QStringLiteral("id") } };
}

DestinationDef exportsFolder()
{
    DestinationDef destination { QStringLiteral("exports"), QStringLiteral("file"), {}, {} };
    destination.settings.insert(QStringLiteral("folder"), QStringLiteral("/tmp/exports"));
    destination.settings.insert(QStringLiteral("batch_size"), qlonglong(500));
    destination.settings.insert(QStringLiteral("ratio"), 0.25);
    destination.settings.insert(QStringLiteral("atomic"), true);
    destination.settings.insert(
        QStringLiteral("headers"), QVariantMap { { QStringLiteral("x-team"), QStringLiteral("growth") } });
    destination.secrets.insert(
        QStringLiteral("token"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("exports-token") });
    return destination;
}

SyncDef customersToExports()
{
    SyncDef sync;
    sync.name = QStringLiteral("customers-to-exports");
    sync.model = QStringLiteral("customers");
    sync.destination = QStringLiteral("exports");
    sync.object = QStringLiteral("customers");
    sync.mode = SyncMode::Mirror;
    sync.onRemoved = RemovedRowAction::Clear;
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    MappingEntry email;
    email.column = QStringLiteral("email");
    email.field = QStringLiteral("email");
    MappingEntry fullName;
    fullName.kind = MappingEntry::SourceKind::Template;
    fullName.templateText = QStringLiteral("{{first_name}} {{last_name}}");
    fullName.field = QStringLiteral("full_name");
    MappingEntry origin;
    origin.kind = MappingEntry::SourceKind::Constant;
    origin.value = QStringLiteral("warehouse");
    origin.field = QStringLiteral("source");
    origin.cast = QStringLiteral("text");
    sync.mapping = { email, fullName, origin };
    sync.schedule = QStringLiteral("every 15m");
    sync.guardrails.maxRemovedShare = 0.35;
    sync.guardrails.stopOnEmptyModel = false;
    return sync;
}

Definitions bundle()
{
    return Definitions { { warehouse() }, { customers() }, { exportsFolder() }, { customersToExports() } };
}

QString message(const Result<void> &result)
{
    return result ? QStringLiteral("<succeeded>") : result.error().message;
}

} // namespace

class TestDefinitionStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    int m_counter = 0;

    DefinitionStore freshStore()
    {
        auto workspace = Workspace::open(m_dir.filePath(QStringLiteral("defs%1.syncline").arg(++m_counter)));
        if (!workspace)
            qFatal("%s", qPrintable(workspace.error().message));
        m_workspace = std::move(*workspace);
        return DefinitionStore(*m_workspace);
    }

    void verifySaved(DefinitionStore &store)
    {
        QVERIFY(store.saveSource(warehouse()));
        QVERIFY(store.saveModel(customers()));
        QVERIFY(store.saveDestination(exportsFolder()));
        QVERIFY(store.saveSync(customersToExports()));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        if (m_workspace)
            QCOMPARE(*m_workspace->integrityCheck(), QStringLiteral("ok"));
        m_workspace.reset();
    }

    void everyKindComesBackAsSaved()
    {
        DefinitionStore store = freshStore();
        verifySaved(store);
        QCOMPARE(*store.source(QStringLiteral("warehouse")), std::optional(warehouse()));
        QCOMPARE(*store.model(QStringLiteral("customers")), std::optional(customers()));
        const auto destination = *store.destination(QStringLiteral("exports"));
        QVERIFY(destination);
        QCOMPARE(destination->settings, exportsFolder().settings);
        QCOMPARE(destination->settings.value(QStringLiteral("batch_size")).typeId(), QMetaType::LongLong);
        QCOMPARE(destination->settings.value(QStringLiteral("atomic")).typeId(), QMetaType::Bool);
        QVERIFY(*destination == exportsFolder());
        QVERIFY(**store.sync(QStringLiteral("customers-to-exports")) == customersToExports());
        QVERIFY(*store.exportDefinitions() == bundle());
        QVERIFY(!store.source(QStringLiteral("nope"))->has_value());
    }

    void resavingKeepsTheSyncIdAndReplacesTheContent()
    {
        DefinitionStore store = freshStore();
        verifySaved(store);
        const qint64 id = *store.syncId(QStringLiteral("customers-to-exports"));
        SyncDef changed = customersToExports();
        changed.mode = SyncMode::Upsert;
        changed.onRemoved.reset();
        changed.mapping.pop_back();
        QVERIFY(store.saveSync(changed));
        QCOMPARE(*store.syncId(QStringLiteral("customers-to-exports")), id);
        const auto reread = **store.sync(QStringLiteral("customers-to-exports"));
        QVERIFY(reread == changed);
        QCOMPARE(reread.effectiveOnRemoved(), RemovedRowAction::Ignore);
        QCOMPARE(store.syncs()->size(), size_t(1));
        const auto missing = store.syncId(QStringLiteral("nope"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("definitions.not_found"));
    }

    void danglingReferencesAreRefusedNamingTheField()
    {
        DefinitionStore store = freshStore();
        ModelDef model = customers();
        auto refused = store.saveModel(model);
        QCOMPARE(refused.error().code, QStringLiteral("definitions.invalid"));
        QCOMPARE(refused.error().message,
            QStringLiteral(
                "model 'customers': field 'source' names an unknown source 'warehouse'; define the source first"));
        verifySaved(store);
        SyncDef sync = customersToExports();
        sync.model = QStringLiteral("customerz");
        QCOMPARE(message(store.saveSync(sync)),
            QStringLiteral("sync 'customers-to-exports': field 'model' names an unknown model 'customerz'; define the "
                           "model first"));
        sync = customersToExports();
        sync.destination = QStringLiteral("hubspot");
        QVERIFY(message(store.saveSync(sync))
                    .contains(QStringLiteral("field 'destination' names an unknown destination 'hubspot'")));
        QVERIFY(**store.sync(sync.name) == customersToExports()); // the refused saves changed nothing
    }

    void invalidDefinitionsAreRefusedNamingDefinitionAndField_data()
    {
        QTest::addColumn<int>("kind"); // 0 source, 1 model, 2 destination, 3 sync
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("password in connection")
            << 0 << QStringLiteral("connection")
            << QStringLiteral("source 'warehouse': the connection string contains a password");
        QTest::newRow("empty connection") << 0 << QStringLiteral("empty-connection")
                                          << QStringLiteral("source 'warehouse': field 'connection' is empty");
        QTest::newRow("empty primary key")
            << 1 << QStringLiteral("primary_key") << QStringLiteral("model 'customers': field 'primary_key' is empty");
        QTest::newRow("empty sql") << 1 << QStringLiteral("sql")
                                   << QStringLiteral("model 'customers': field 'sql' is empty");
        QTest::newRow("no type") << 2 << QStringLiteral("type")
                                 << QStringLiteral("destination 'exports': field 'type' is empty");
        QTest::newRow("two sources in an entry")
            << 3 << QStringLiteral("two-sources")
            << QStringLiteral("sync 'customers-to-exports': mapping entry 1 (field 'email'): "
                              "needs exactly one of column, template or value");
        QTest::newRow("empty field") << 3 << QStringLiteral("empty-field")
                                     << QStringLiteral(
                                            "sync 'customers-to-exports': mapping entry 2 has an empty field name");
        QTest::newRow("field twice")
            << 3 << QStringLiteral("field-twice")
            << QStringLiteral("sync 'customers-to-exports': field 'email' is mapped twice (entries 1 and 3)");
        QTest::newRow("unknown cast") << 3 << QStringLiteral("cast")
                                      << QStringLiteral("mapping entry 1 (field 'email'): unknown cast 'money'");
        QTest::newRow("secret in settings")
            << 2 << QStringLiteral("settings")
            << QStringLiteral(
                   "destination 'exports': settings.Token looks like a secret; remove it from settings and write "
                   "secrets: { Token: { env: VARIABLE } }");
        QTest::newRow("share") << 3 << QStringLiteral("share")
                               << QStringLiteral("guardrails.max_removed_share 1.5 is outside 0..1");
    }

    void invalidDefinitionsAreRefusedNamingDefinitionAndField()
    {
        QFETCH(int, kind);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        DefinitionStore store = freshStore();
        verifySaved(store);
        Result<void> result;
        if (kind == 0) {
            SourceDef source = warehouse();
            source.connection = field == QLatin1String("connection")
                ? source.connection + QStringLiteral(";PWD={s3cr;et}")
                : QString();
            result = store.saveSource(source);
            QVERIFY(!message(result).contains(QStringLiteral("s3cr")));
        } else if (kind == 1) {
            ModelDef model = customers();
            if (field == QLatin1String("sql"))
                model.sql = QStringLiteral("  \n");
            else
                model.primaryKey.clear();
            result = store.saveModel(model);
        } else if (kind == 2) {
            DestinationDef destination = exportsFolder();
            if (field == QLatin1String("settings"))
                destination.settings.insert(QStringLiteral("Token"), QStringLiteral("pat-123"));
            else
                destination.type.clear();
            result = store.saveDestination(destination);
        } else {
            SyncDef sync = customersToExports();
            if (field == QLatin1String("two-sources"))
                sync.mapping[0].templateText = QStringLiteral("{{email}}");
            else if (field == QLatin1String("empty-field"))
                sync.mapping[1].field.clear();
            else if (field == QLatin1String("field-twice"))
                sync.mapping[2].field = QStringLiteral("email");
            else if (field == QLatin1String("cast"))
                sync.mapping[0].cast = QStringLiteral("money");
            else
                sync.guardrails.maxRemovedShare = 1.5;
            result = store.saveSync(sync);
        }
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("definitions.invalid"));
        QVERIFY2(result.error().message.contains(expected), qPrintable(result.error().message));
        QVERIFY(*store.exportDefinitions() == bundle()); // nothing changed
    }

    void removingWhatOthersUseFailsNamingTheUsers()
    {
        DefinitionStore store = freshStore();
        verifySaved(store);
        ModelDef orders = customers();
        orders.name = QStringLiteral("orders");
        QVERIFY(store.saveModel(orders));
        auto source = store.removeSource(QStringLiteral("warehouse"));
        QCOMPARE(source.error().code, QStringLiteral("definitions.in_use"));
        QCOMPARE(source.error().message,
            QStringLiteral("source 'warehouse' is used by models 'customers', 'orders'; remove or change them first"));
        QCOMPARE(message(store.removeModel(QStringLiteral("customers"))),
            QStringLiteral("model 'customers' is used by sync 'customers-to-exports'; remove or change it first"));
        QVERIFY(message(store.removeDestination(QStringLiteral("exports")))
                    .contains(QStringLiteral("sync 'customers-to-exports'")));
        QCOMPARE(store.removeSync(QStringLiteral("nope")).error().code, QStringLiteral("definitions.not_found"));

        QVERIFY(store.removeSync(QStringLiteral("customers-to-exports")));
        QVERIFY(store.removeModel(QStringLiteral("customers")));
        QVERIFY(store.removeModel(QStringLiteral("orders")));
        QVERIFY(store.removeDestination(QStringLiteral("exports")));
        QVERIFY(store.removeSource(QStringLiteral("warehouse")));
        QVERIFY(*store.exportDefinitions() == Definitions {});
    }

    void importCreatesThenChangesNothingTheSecondTime()
    {
        DefinitionStore store = freshStore();
        using Action = DefinitionStore::ImportChange::Action;
        auto first = store.importDefinitions(bundle());
        QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
        QCOMPARE(first->size(), size_t(4));
        for (const auto &change : *first)
            QCOMPARE(change.action, Action::Created);
        QCOMPARE((*first)[3].kind, QStringLiteral("sync"));
        const qint64 id = *store.syncId(QStringLiteral("customers-to-exports"));
        auto stamp = SqliteStatement::prepare(
            m_workspace->handle(), QStringLiteral("SELECT group_concat(updated_at) FROM syncs"));
        QVERIFY(*stamp->step());
        const QString before = stamp->text(0);
        stamp->reset();

        QTest::qWait(5); // updated_at has millisecond resolution
        auto second = store.importDefinitions(bundle());
        QVERIFY(second);
        for (const auto &change : *second)
            QCOMPARE(change.action, Action::Unchanged);
        QVERIFY(*stamp->step());
        QCOMPARE(stamp->text(0), before);
        QCOMPARE(*store.syncId(QStringLiteral("customers-to-exports")), id);
        QVERIFY(*store.exportDefinitions() == bundle());
    }

    void importReplacesSameNamesAndKeepsOthers()
    {
        DefinitionStore store = freshStore();
        QVERIFY(store.importDefinitions(bundle()));
        SourceDef other { QStringLiteral("crm"), QStringLiteral("DSN=crm"), {} };
        QVERIFY(store.saveSource(other));
        Definitions changed = bundle();
        changed.models[0].sql = QStringLiteral("select id, email, first_name, last_name from customers where active");
        auto result = store.importDefinitions(changed);
        QVERIFY(result);
        QCOMPARE(int((*result)[1].action), int(DefinitionStore::ImportChange::Action::Updated));
        QCOMPARE((*result)[1].name, QStringLiteral("customers"));
        QCOMPARE(int((*result)[0].action), int(DefinitionStore::ImportChange::Action::Unchanged));
        QCOMPARE((*store.model(QStringLiteral("customers")))->sql, changed.models[0].sql);
        QCOMPARE(store.sources()->size(), size_t(2));
    }

    void failedImportLeavesTheWorkspaceUnchanged()
    {
        DefinitionStore store = freshStore();
        QVERIFY(store.importDefinitions(bundle()));
        const Definitions before = *store.exportDefinitions();
        Definitions broken = bundle();
        broken.sources[0].connection = QStringLiteral("DSN=changed"); // would be an update...
        broken.destinations.push_back(DestinationDef { QStringLiteral("hooks"), QStringLiteral("webhook"), {}, {} });
        broken.syncs[0].destination = QStringLiteral("nowhere"); // ...but the sync is dangling
        auto result = store.importDefinitions(broken);
        QVERIFY(!result);
        QVERIFY(result.error().message.contains(QStringLiteral("unknown destination 'nowhere'")));
        QVERIFY(*store.exportDefinitions() == before);
    }
};

QTEST_GUILESS_MAIN(TestDefinitionStore)
#include "tst_definitionstore.moc"
