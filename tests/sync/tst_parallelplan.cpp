// A sync with extract_connections: 4 plans exactly what the same sync plans over one connection,
// against the real PostgreSQL of scripts/test-services.sh, through several runs with inserts,
// updates, deletes, NULL and duplicated keys in between: the split reaches the planner's local
// mode, and its interleaved blocks change nothing in the plan. Reading with COPY (the default for
// PostgreSQL) and with psqlODBC (SYNCLINE_PG_COPY=0) plans the same rows too.
#include "syncfixture.h"

#include "engine/state/planstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"

#include <algorithm>
#include <tuple>

using namespace synctest;
using namespace syncline::engine;

namespace {

class FixedSecret final : public SecretResolver
{
public:
    explicit FixedSecret(QString password) : m_password(std::move(password)) {}
    Result<QString> resolve(const SecretRef &) override { return m_password; }

private:
    QString m_password;
};

// One workspace with sync "people" over table split_plan, read over `connections` connections.
struct Setup
{
    QTemporaryDir dir;
    std::unique_ptr<state::Workspace> workspace;
    connector::ConnectorRegistry registry;
    std::shared_ptr<FakeDestination> destination = std::make_shared<FakeDestination>();
    std::unique_ptr<FixedSecret> secrets;
    NullDiagnosticSink diagnostics;

    Setup(const QString &connection, const QString &password, int connections)
    {
        auto opened = state::Workspace::open(dir.filePath(QStringLiteral("test.syncline")));
        if (!opened)
            qFatal("cannot open the workspace: %s", qPrintable(opened.error().message));
        workspace = std::move(*opened);
        secrets = std::make_unique<FixedSecret>(password);
        auto state = destination;
        registry.add(connector::ConnectorType{QStringLiteral("fake"), QStringLiteral("Fake"), {},
                                              [state](const DestinationDef &, SecretResolver &)
                                                  -> Result<std::unique_ptr<connector::Connector>> {
                                                  return std::make_unique<FakeConnector>(state);
                                              }});
        state::DefinitionStore definitions(*workspace);
        SyncSetup::check(definitions.saveSource(
            SourceDef{QStringLiteral("wh"), connection, {SecretRef::Kind::Keychain, QStringLiteral("wh-password")}}));
        SyncSetup::check(definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                                        QStringLiteral("select id, name, score from split_plan"),
                                                        {QStringLiteral("id")}}));
        SyncSetup::check(definitions.saveDestination(DestinationDef{QStringLiteral("dest"), QStringLiteral("fake"), {}, {}}));
        SyncDef sync;
        sync.name = QStringLiteral("people");
        sync.model = QStringLiteral("people");
        sync.destination = QStringLiteral("dest");
        sync.object = QStringLiteral("people");
        sync.mode = SyncMode::Mirror;
        sync.guardrails.maxRemovedShare = 1.0;
        sync.changeDetection = ChangeDetection::Local;
        sync.extractConnections = connections;
        sync.mapping = {MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
                        MappingEntry::fromColumn(QStringLiteral("score"), QStringLiteral("score"))};
        SyncSetup::check(definitions.saveSync(sync));
    }
    sync::EngineServices services() { return {*workspace, registry, *secrets, diagnostics}; }
};

using Row = std::tuple<int, int, std::string, std::string, std::string>; // op, action, key, payload, before

} // namespace

class TestParallelPlan : public QObject
{
    Q_OBJECT

private slots:
    void fourConnectionsPlanWhatOneConnectionPlans()
    {
        const QString full = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
        auto attributes = warehouse::parseConnectionString(full);
        if (full.isEmpty() || !attributes)
            QSKIP("SYNCLINE_TEST_PG_ODBC is not set (source scripts/test-services.sh; services_start_postgres)");
        const QString password = warehouse::attributeValue(*attributes, QStringLiteral("PWD"));
        std::erase_if(*attributes, [](const warehouse::ConnectionAttribute &a) {
            return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0;
        });
        const QString connection = warehouse::buildConnectionString(*attributes);
        warehouse::ConnectionSpec spec;
        spec.connectionString = connection;
        spec.password = password;
        auto admin = warehouse::OdbcConnection::open(spec);
        QVERIFY2(admin, qPrintable(admin ? QString() : admin.error().toString()));
        auto exec = [&](const QString &sql) {
            auto done = (*admin)->executeUpdate(sql);
            QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
        };
        exec(QStringLiteral("DROP TABLE IF EXISTS split_plan"));
        exec(QStringLiteral("CREATE TABLE split_plan (id bigint, name text, score int)"));
        exec(QStringLiteral("INSERT INTO split_plan SELECT g, 'name ' || g, g % 7 FROM generate_series(1, 20000) g"));

        Setup one(connection, password, 1);
        Setup four(connection, password, 4);
        Setup odbc(connection, password, 1); // planned with SYNCLINE_PG_COPY=0: psqlODBC instead of COPY
        const QStringList changes = {
            QString(),
            QStringLiteral("UPDATE split_plan SET score = score + 1 WHERE id % 97 = 0; DELETE FROM split_plan WHERE id % 101 = 0; "
                           "INSERT INTO split_plan SELECT g, 'late ' || g, 1 FROM generate_series(30001, 30500) g"),
            // NULL keys and duplicated keys: invalid rows, found whichever connection reads them.
            QStringLiteral("INSERT INTO split_plan VALUES (NULL, 'no key', 1), (NULL, 'no key either', 2), (5, 'dup', 3), "
                           "(30001, 'dup', 4); UPDATE split_plan SET name = NULL WHERE id % 13 = 0"),
        };
        for (int round = 0; round < changes.size(); ++round) {
            if (!changes[round].isEmpty())
                exec(changes[round]);
            std::vector<std::vector<Row>> plans;
            std::vector<state::PlanInfo> infos;
            for (Setup *setup : {&one, &four, &odbc}) {
                if (setup == &odbc)
                    qputenv("SYNCLINE_PG_COPY", "0");
                auto plan = sync::SyncPlanner(setup->services()).plan(QStringLiteral("people"));
                qunsetenv("SYNCLINE_PG_COPY");
                QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
                auto rows = state::PlanStore(*setup->workspace).rows(plan->id, 0, 1000000, false);
                QVERIFY(rows);
                std::vector<Row> mine;
                for (const state::PlanRow &row : *rows)
                    mine.emplace_back(int(row.op), row.action ? int(*row.action) : -1, row.key, row.payload, row.beforePayload);
                std::sort(mine.begin(), mine.end());
                plans.push_back(std::move(mine));
                infos.push_back(*plan);
                auto run = sync::SyncRunner(setup->services()).apply(plan->id, {});
                QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
            }
            QCOMPARE(infos[1].timings.value(QStringLiteral("extract_connections")).toInt(), 4);
            QVERIFY(!infos[0].timings.contains(QStringLiteral("extract_connections")));
            QCOMPARE(infos[1].counts.added, infos[0].counts.added);
            QCOMPARE(infos[1].counts.changed, infos[0].counts.changed);
            QCOMPARE(infos[1].counts.removed, infos[0].counts.removed);
            QCOMPARE(infos[1].counts.unchanged, infos[0].counts.unchanged);
            QCOMPARE(infos[1].counts.invalid, infos[0].counts.invalid);
            QVERIFY2(plans[1] == plans[0], qPrintable(QStringLiteral("round %1: the plans differ").arg(round)));
            QCOMPARE(four.destination->records, one.destination->records);
            QVERIFY2(plans[2] == plans[0], qPrintable(QStringLiteral("round %1: the COPY and ODBC plans differ").arg(round)));
            QCOMPARE(odbc.destination->records, one.destination->records);
        }
        // The rounds did something: the first added every row, the last found invalid keys.
        QCOMPARE(one.destination->records.size(), size_t(20000 - 198 + 500)); // 198 deleted; duplicated keys stay as delivered
    }
};

QTEST_GUILESS_MAIN(TestParallelPlan)
#include "tst_parallelplan.moc"
