// The demo warehouse's customers (10,000 rows, a NULL email and a duplicated id among them)
// upserted into HubSpot contacts by email through the runner, as `syncline-cli run` does it:
// every contact holds its row's values, the row without an email is refused by name.
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/runstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"
#include "engine/sync/syncrunner.h"
#include "tests/connectors/hubspottestsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace syncline::engine;
using namespace syncline::engine::connector;
using namespace syncline::hubspottests;

class TestHubSpotDemoSync : public QObject
{
    Q_OBJECT
private slots:
    void demoCustomersSyncIntoContacts();
};

void TestHubSpotDemoSync::demoCustomersSyncIntoContacts()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    QTemporaryDir dir;
    auto warehouse = demo::ensureDemoWarehouse(dir.filePath(QStringLiteral("demo")));
    QVERIFY2(warehouse, qPrintable(warehouse ? QString() : warehouse.error().message));
    const QString workspacePath = dir.filePath(QStringLiteral("hubspot.syncline"));
    {
        auto workspace = state::Workspace::open(workspacePath);
        QVERIFY(workspace);
        state::DefinitionStore definitions(**workspace);
        QVERIFY(
            definitions.saveSource(SourceDef { QStringLiteral("demo"), demo::demoConnectionString(*warehouse), {} }));
        QVERIFY(definitions.saveModel(ModelDef { QStringLiteral("customers"), QStringLiteral("demo"),
            QStringLiteral("select id, email, first_name, last_name, plan, seats from customers"),
            { QStringLiteral("id") } }));
        DestinationDef destination
            = hubspotDestination(fake, { { QStringLiteral("rate_limit"), QStringLiteral("1000/s") } });
        destination.secrets = { { QStringLiteral("token"),
            SecretRef { SecretRef::Kind::Env, QStringLiteral("SYNCLINE_TEST_HUBSPOT_TOKEN") } } };
        QVERIFY(definitions.saveDestination(destination));
        SyncDef sync;
        sync.name = QStringLiteral("customers-to-hubspot");
        sync.model = QStringLiteral("customers");
        sync.destination = destination.name;
        sync.object = QStringLiteral("contacts");
        sync.matchColumn = QStringLiteral("email");
        sync.matchField = QStringLiteral("email");
        for (const auto &[column, field] : { std::pair { "first_name", "firstname" }, { "last_name", "lastname" },
                 { "plan", "lifecyclestage" }, { "seats", "score" } }) {
            MappingEntry entry;
            entry.column = QString::fromLatin1(column);
            entry.field = QString::fromLatin1(field);
            sync.mapping.push_back(entry);
        }
        QVERIFY(definitions.saveSync(sync));
    }
    qputenv("SYNCLINE_TEST_HUBSPOT_TOKEN", fake.config().privateAppToken.toUtf8());
    auto workspace = state::Workspace::open(workspacePath, state::Workspace::OpenMode::MustExist);
    QVERIFY(workspace);
    ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    secrets::EnvSecretResolver secrets;
    NullDiagnosticSink diagnostics;
    sync::EngineServices services { **workspace, registry, secrets, diagnostics };
    auto result = sync::SyncRunner(services).run(QStringLiteral("customers-to-hubspot"));
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QVERIFY(result->run);
    // The customer without an email reaches the connector (the planner checks keys, not match
    // values) and is refused there by name; the duplicated id is invalid and never sent.
    QCOMPARE(result->run->status, QStringLiteral("partial"));
    QCOMPARE(result->run->counts.rejected, 1);
    QVERIFY(result->plan.counts.invalid > 0);
    auto syncId = state::DefinitionStore(**workspace).syncId(QStringLiteral("customers-to-hubspot"));
    QVERIFY(syncId);
    sqlite3 *recipe = nullptr;
    QCOMPARE(
        sqlite3_open_v2(QFile::encodeName(*warehouse).constData(), &recipe, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt *withoutEmail = nullptr;
    sqlite3_prepare_v2(recipe, "SELECT id FROM customers WHERE email IS NULL", -1, &withoutEmail, nullptr);
    QCOMPARE(sqlite3_step(withoutEmail), SQLITE_ROW);
    const std::string key = std::to_string(sqlite3_column_int64(withoutEmail, 0));
    sqlite3_finalize(withoutEmail);
    sqlite3_close(recipe);
    auto refused = state::RunStore(**workspace).outcomesForKey(*syncId, key, 1);
    QVERIFY(refused && refused->size() == 1);
    QVERIFY2(refused->front().error.contains(QStringLiteral("'email' is empty")), qPrintable(refused->front().error));
    const auto contactsHeld = fake.records(QStringLiteral("contacts"));
    QCOMPARE(qint64(contactsHeld.size()), result->run->counts.accepted);
    QVERIFY(contactsHeld.size() > 9000);
    // Every contact holds its warehouse row's values, as text.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open_v2(QFile::encodeName(*warehouse).constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt *select = nullptr;
    sqlite3_prepare_v2(
        db, "SELECT first_name, last_name, plan, seats FROM customers WHERE lower(email) = ?1", -1, &select, nullptr);
    int checked = 0;
    for (const auto &record : contactsHeld) {
        const QByteArray email = record.properties.value(QStringLiteral("email")).toUtf8();
        sqlite3_bind_text(select, 1, email.constData(), -1, SQLITE_TRANSIENT);
        QCOMPARE(sqlite3_step(select), SQLITE_ROW);
        const auto column = [select](int i) {
            return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, i)));
        };
        QCOMPARE(record.properties.value(QStringLiteral("firstname")), column(0));
        QCOMPARE(record.properties.value(QStringLiteral("lastname")), column(1));
        QCOMPARE(record.properties.value(QStringLiteral("lifecyclestage")), column(2));
        QCOMPARE(record.properties.value(QStringLiteral("score")), column(3));
        sqlite3_reset(select);
        ++checked;
    }
    sqlite3_finalize(select);
    sqlite3_close(db);
    QCOMPARE(checked, int(contactsHeld.size()));
}

QTEST_GUILESS_MAIN(TestHubSpotDemoSync)
#include "tst_hubspotdemosync.moc"
