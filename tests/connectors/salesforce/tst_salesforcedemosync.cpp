// The demo warehouse's customers (10,000 rows, a NULL email and a duplicated id among them)
// upserted into Salesforce Contacts by an External ID through the runner, as `syncline-cli run`
// does it: above bulk_threshold, so through one Bulk API 2.0 job; every Contact holds its row's
// values, the duplicated id is never sent, and a second run sends nothing.
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/engineservices.h"
#include "engine/sync/syncrunner.h"
#include "salesforcetestsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace syncline::salesforcetests;

class TestSalesforceDemoSync : public QObject
{
    Q_OBJECT
private slots:
    void demoCustomersSyncIntoContactsThroughBulk();
};

void TestSalesforceDemoSync::demoCustomersSyncIntoContactsThroughBulk()
{
    FakeSalesforce fake;
    QVERIFY(fake.start());
    QTemporaryDir dir;
    auto warehouse = demo::ensureDemoWarehouse(dir.filePath(QStringLiteral("demo")));
    QVERIFY2(warehouse, qPrintable(warehouse ? QString() : warehouse.error().message));
    const QString workspacePath = dir.filePath(QStringLiteral("salesforce.syncline"));
    {
        auto workspace = state::Workspace::open(workspacePath);
        QVERIFY(workspace);
        state::DefinitionStore definitions(**workspace);
        QVERIFY(definitions.saveSource(SourceDef { QStringLiteral("demo"), demo::demoConnectionString(*warehouse), {} }));
        QVERIFY(definitions.saveModel(ModelDef { QStringLiteral("customers"), QStringLiteral("demo"),
            QStringLiteral("select id, email, first_name, last_name, seats, is_active from customers"), { QStringLiteral("id") } }));
        DestinationDef destination = salesforceDestination(fake);
        using Ref = SecretRef;
        destination.secrets = { { QStringLiteral("client_id"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_TEST_SF_CLIENT_ID") } },
            { QStringLiteral("client_secret"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_TEST_SF_CLIENT_SECRET") } },
            { QStringLiteral("refresh_token"), Ref { Ref::Kind::Env, QStringLiteral("SYNCLINE_TEST_SF_REFRESH") } } };
        QVERIFY(definitions.saveDestination(destination));
        SyncDef sync;
        sync.name = QStringLiteral("customers-to-salesforce");
        sync.model = QStringLiteral("customers");
        sync.destination = destination.name;
        sync.object = QStringLiteral("Contact");
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("Ext_Id__c");
        sync.mapping = { MappingEntry::fromColumn(QStringLiteral("email"), QStringLiteral("Email")),
            MappingEntry::fromColumn(QStringLiteral("first_name"), QStringLiteral("FirstName")),
            MappingEntry::fromColumn(QStringLiteral("last_name"), QStringLiteral("LastName")),
            MappingEntry::fromColumn(QStringLiteral("seats"), QStringLiteral("Score__c")),
            MappingEntry::fromColumn(QStringLiteral("is_active"), QStringLiteral("VIP__c"), QStringLiteral("boolean")) };
        QVERIFY(definitions.saveSync(sync));
    }
    // Rotation off: an env reference cannot take a rotated refresh token, and the second run needs it.
    auto config = fake.config();
    config.rotateRefreshTokens = false;
    fake.setConfig(config);
    qputenv("SYNCLINE_TEST_SF_CLIENT_ID", config.clientId.toUtf8());
    qputenv("SYNCLINE_TEST_SF_CLIENT_SECRET", config.clientSecret.toUtf8());
    qputenv("SYNCLINE_TEST_SF_REFRESH", config.refreshToken.toUtf8());
    auto workspace = state::Workspace::open(workspacePath, state::Workspace::OpenMode::MustExist);
    QVERIFY(workspace);
    ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    secrets::EnvSecretResolver secrets;
    NullDiagnosticSink diagnostics;
    sync::EngineServices services { **workspace, registry, secrets, diagnostics };
    auto result = sync::SyncRunner(services).run(QStringLiteral("customers-to-salesforce"));
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QVERIFY(result->run);
    QCOMPARE(result->run->status, QStringLiteral("succeeded"));
    QVERIFY(result->plan.counts.invalid > 0); // the duplicated id
    QCOMPARE(fake.jobs().size(), 1);
    QCOMPARE(fake.jobs()[0].state, QStringLiteral("JobComplete"));
    const auto contacts = fake.records(QStringLiteral("Contact"));
    QCOMPARE(qint64(contacts.size()), result->run->counts.accepted);
    QVERIFY(contacts.size() > 9000);

    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open_v2(QFile::encodeName(*warehouse).constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt *select = nullptr;
    sqlite3_prepare_v2(db, "SELECT email, first_name, last_name, seats, is_active FROM customers WHERE id = ?1", -1, &select, nullptr);
    int withoutEmail = 0;
    for (const QJsonObject &contact : contacts) {
        sqlite3_bind_int64(select, 1, contact.value(QStringLiteral("Ext_Id__c")).toString().toLongLong());
        QCOMPARE(sqlite3_step(select), SQLITE_ROW);
        const auto column = [select](int i) {
            return sqlite3_column_type(select, i) == SQLITE_NULL
                ? QString() : QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, i)));
        };
        if (column(0).isNull()) {
            QVERIFY(contact.value(QStringLiteral("Email")).isNull() || !contact.contains(QStringLiteral("Email")));
            ++withoutEmail;
        } else {
            QCOMPARE(contact.value(QStringLiteral("Email")).toString(), column(0));
        }
        QCOMPARE(contact.value(QStringLiteral("FirstName")).toString(), column(1));
        QCOMPARE(contact.value(QStringLiteral("LastName")).toString(), column(2));
        QCOMPARE(contact.value(QStringLiteral("Score__c")).toString(), column(3));
        QCOMPARE(contact.value(QStringLiteral("VIP__c")).toString(),
            column(4) == QLatin1String("1") ? QStringLiteral("true") : QStringLiteral("false"));
        sqlite3_reset(select);
    }
    sqlite3_finalize(select);
    sqlite3_close(db);
    QCOMPARE(withoutEmail, 1);

    auto again = sync::SyncRunner(services).run(QStringLiteral("customers-to-salesforce"));
    QVERIFY(again && again->run);
    QCOMPARE(again->run->counts.sent, 0);
    QCOMPARE(fake.jobs().size(), 1);
}

QTEST_GUILESS_MAIN(TestSalesforceDemoSync)
#include "tst_salesforcedemosync.moc"
