// The demo warehouse's customers synced into Google Sheets through the engine's planner and
// runner and the google_sheets destination, against the fake Sheets API: a tab created by the
// first run, every customer once with its warehouse values, the duplicated id never sent.

#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/sync/syncrunner.h"

#include <QTest>

#include "sheetssyncsetup.h"

using namespace sheetstest;
using syncline::testfakes::googlesheets::generateRsaKey;

class TestGoogleSheetsDemo : public QObject
{
    Q_OBJECT
    RsaKeyPair m_key;

private slots:
    void initTestCase()
    {
        m_key = generateRsaKey();
        QVERIFY2(!m_key.privatePem.isEmpty(), "OpenSSL could not make an RSA key");
    }

    void demoCustomersSyncIntoANewTab()
    {
        // The demo warehouse's 10,000 customers (a duplicated id among them) into a tab the first
        // run creates, matched by id, through the runner as `syncline-cli run` does it.
        SheetsFake fake(fakeConfig(m_key));
        QVERIFY(fake.start());
        fake.state().addSpreadsheet(kSpreadsheet);
        fake.state().addTab(kSpreadsheet, QStringLiteral("Sheet1"));
        QTemporaryDir dir;
        auto warehouse = demo::ensureDemoWarehouse(dir.filePath(QStringLiteral("demo")));
        QVERIFY2(warehouse, qPrintable(warehouse ? QString() : warehouse.error().message));
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("sheets.syncline")));
        QVERIFY(workspace);
        state::DefinitionStore definitions(**workspace);
        QVERIFY(
            definitions.saveSource(SourceDef { QStringLiteral("demo"), demo::demoConnectionString(*warehouse), {} }));
        QVERIFY(definitions.saveModel(ModelDef { QStringLiteral("customers"), QStringLiteral("demo"),
            QStringLiteral("select id, email, first_name, plan, seats from customers"), { QStringLiteral("id") } }));
        DestinationDef destination
            = sheetsDestination(fake, QStringLiteral("service_account"), { { QStringLiteral("batch_size"), 1000 } });
        destination.secrets.insert(
            QStringLiteral("service_account"), SecretRef { SecretRef::Kind::Env, QString::fromLatin1(kKeyVariable) });
        QVERIFY(definitions.saveDestination(destination));
        SyncDef sync;
        sync.name = QStringLiteral("customers-to-sheet");
        sync.model = QStringLiteral("customers");
        sync.destination = destination.name;
        sync.object = QStringLiteral("Customers");
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        for (const char *column : { "email", "first_name", "plan", "seats" })
            sync.mapping.push_back(MappingEntry::fromColumn(QString::fromLatin1(column), QString::fromLatin1(column)));
        QVERIFY(definitions.saveSync(sync));
        qputenv(kKeyVariable.constData(), serviceAccountJson(m_key).toUtf8());
        syncline::engine::secrets::EnvSecretResolver secrets;
        NullDiagnosticSink diagnostics;
        ConnectorRegistry registry;
        syncline::connectors::registerBuiltinConnectors(registry);
        sync::EngineServices services { **workspace, registry, secrets, diagnostics };
        auto result = sync::SyncRunner(services).run(sync.name);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY(result->run);
        QCOMPARE(result->run->status, QStringLiteral("succeeded"));
        QVERIFY(result->plan.counts.invalid > 0); // the duplicated id, never sent
        const QList<QJsonArray> rows = fake.state().rows(kSpreadsheet, QStringLiteral("Customers"));
        QCOMPARE(rows.first(),
            (QJsonArray { QStringLiteral("id"), QStringLiteral("email"), QStringLiteral("first_name"),
                QStringLiteral("plan"), QStringLiteral("seats") }));
        QCOMPARE(qint64(rows.size() - 1), result->run->counts.accepted);
        QVERIFY(rows.size() > 9000);
        sqlite3 *db = nullptr;
        QCOMPARE(
            sqlite3_open_v2(QFile::encodeName(*warehouse).constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt *select = nullptr;
        sqlite3_prepare_v2(db, "SELECT coalesce(email, ''), first_name, plan, seats FROM customers WHERE id = ?1", -1,
            &select, nullptr);
        QSet<qint64> seen;
        for (qsizetype r = 1; r < rows.size(); ++r) {
            const qint64 id = rows[r].at(0).toInteger(-1);
            QVERIFY2(!seen.contains(id), "a customer is in the tab twice");
            seen.insert(id);
            sqlite3_bind_int64(select, 1, id);
            QCOMPARE(sqlite3_step(select), SQLITE_ROW);
            auto text = [select](int i) {
                return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(select, i)));
            };
            QCOMPARE(rows[r].at(1).toString(), text(0));
            QCOMPARE(rows[r].at(2).toString(), text(1));
            QCOMPARE(rows[r].at(3).toString(), text(2));
            QCOMPARE(rows[r].at(4).toInteger(), sqlite3_column_int64(select, 3));
            sqlite3_reset(select);
        }
        sqlite3_finalize(select);
        sqlite3_close(db);
    }
};

QTEST_GUILESS_MAIN(TestGoogleSheetsDemo)
#include "tst_googlesheetsdemo.moc"
