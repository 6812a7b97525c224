// Change detection warehouse under SIGKILL: the real syncline-cli runs a `change_detection:
// warehouse` sync of a PostgreSQL model into the file destination and is killed at random
// instants, so kills land while the plan refreshes the state table, while rows are delivered,
// and after delivery but before the next plan has brought the state table up to the ledger.
// After every kill, the next warehouse-mode plan must equal a local-mode plan of the same ledger
// row by row (op, key, payload, before): whatever the kill left in the warehouse, the plan is exact.
#include "syncfixture.h"

#include "connectors/builtinconnectors.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/planstore.h"
#include "engine/sync/syncplanner.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>

#include <algorithm>
#include <vector>

using namespace synctest;
using namespace syncline::engine;

namespace {

const QString kCli = QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli");
const QString kSchema = QStringLiteral("syncline_crash_state"); // this test's own planner schema
const char *kPasswordVariable = "SYNCLINE_WAREHOUSECRASH_PG_PASSWORD";

struct PlannedRow
{
    state::DiffOp op;
    std::optional<connector::Operation> action;
    std::string key;
    std::string payload;
    std::string before;
    bool operator==(const PlannedRow &) const = default;
    bool operator<(const PlannedRow &other) const { return key < other.key; }
};

} // namespace

class TestWarehouseCrash : public QObject
{
    Q_OBJECT
private slots:
    void killedWarehouseRunsLeaveTheNextPlanExact();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<warehouse::OdbcConnection> m_admin;
    std::unique_ptr<state::Workspace> m_workspace;
    connector::ConnectorRegistry m_registry;
    secrets::EnvSecretResolver m_secrets;
    NullDiagnosticSink m_diagnostics;
    SyncDef m_sync;

    QString workspacePath() const { return m_dir.filePath(QStringLiteral("crash.syncline")); }
    void exec(const QString &sql)
    {
        auto done = m_admin->executeUpdate(sql);
        QVERIFY2(done, qPrintable(done ? QString() : done.error().toString()));
    }
    qint64 integer(const QString &sql)
    {
        auto cursor = m_admin->execute(sql);
        if (!cursor)
            return -2;
        warehouse::RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        return more && *more && batch.rowCount() > 0 && !batch.isNull(0, 0) ? batch.integer(0, 0) : -1;
    }
    // Plans the sync in `mode` in this process and returns its rows, sorted by key.
    std::vector<PlannedRow> plan(ChangeDetection mode, QString *stateTable = nullptr, qint64 *toSend = nullptr)
    {
        m_sync.changeDetection = mode;
        SyncSetup::check(state::DefinitionStore(*m_workspace).saveSync(m_sync));
        auto planned = sync::SyncPlanner(sync::EngineServices{*m_workspace, m_registry, m_secrets, m_diagnostics}).plan(m_sync.name);
        if (!planned)
            qFatal("plan failed: %s", qPrintable(planned.error().toString()));
        if (stateTable)
            *stateTable = planned->timings.value(QStringLiteral("state_table")).toString();
        if (toSend)
            *toSend = planned->counts.added + planned->counts.changed + planned->counts.removed;
        auto rows = state::PlanStore(*m_workspace).rows(planned->id, 0, 10000000, false);
        if (!rows)
            qFatal("plan rows: %s", qPrintable(rows.error().toString()));
        std::vector<PlannedRow> out;
        for (const state::PlanRow &row : *rows)
            out.push_back(PlannedRow{row.op, row.action, row.key, row.payload, row.beforePayload});
        std::sort(out.begin(), out.end());
        return out;
    }
};

void TestWarehouseCrash::killedWarehouseRunsLeaveTheNextPlanExact()
{
    QVERIFY2(QFileInfo::exists(kCli), "syncline-cli is not built");
    const QString full = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
    auto attributes = warehouse::parseConnectionString(full);
    if (full.isEmpty() || !attributes)
        QSKIP("SYNCLINE_TEST_PG_ODBC is not set (source scripts/test-services.sh and start the server)");
    warehouse::ConnectionSpec spec;
    spec.password = warehouse::attributeValue(*attributes, QStringLiteral("PWD"));
    std::erase_if(*attributes, [](const warehouse::ConnectionAttribute &a) {
        return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0;
    });
    spec.connectionString = warehouse::buildConnectionString(*attributes);
    qputenv(kPasswordVariable, spec.password.value_or(QString()).toUtf8()); // the CLI children read it from there
    auto admin = warehouse::OdbcConnection::open(spec);
    QVERIFY2(admin, qPrintable(admin ? QString() : admin.error().toString()));
    m_admin = std::move(*admin);

    const int rows = 30000;
    exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(kSchema));
    exec(QStringLiteral("CREATE SCHEMA %1").arg(kSchema));
    exec(QStringLiteral("DROP TABLE IF EXISTS wcr_items"));
    exec(QStringLiteral("CREATE TABLE wcr_items (id BIGINT PRIMARY KEY, name TEXT, score INTEGER)"));
    exec(QStringLiteral("INSERT INTO wcr_items SELECT g, 'item ' || g, g % 7 FROM generate_series(1, %1) g").arg(rows));

    auto opened = state::Workspace::open(workspacePath());
    QVERIFY(opened);
    m_workspace = std::move(*opened);
    syncline::connectors::registerBuiltinConnectors(m_registry);
    const QString folder = m_dir.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(folder));
    state::DefinitionStore definitions(*m_workspace);
    SourceDef source{QStringLiteral("pg"), spec.connectionString, SecretRef{SecretRef::Kind::Env, QString::fromLatin1(kPasswordVariable)}};
    source.plannerSchema = kSchema;
    SyncSetup::check(definitions.saveSource(source));
    SyncSetup::check(definitions.saveModel(ModelDef{QStringLiteral("items"), QStringLiteral("pg"),
                                                    QStringLiteral("select id, name, score from wcr_items"), {QStringLiteral("id")}}));
    SyncSetup::check(definitions.saveDestination(DestinationDef{QStringLiteral("files"), QStringLiteral("file"),
                                                                QVariantMap{{QStringLiteral("folder"), folder},
                                                                            {QStringLiteral("format"), QStringLiteral("jsonl")},
                                                                            {QStringLiteral("layout"), QStringLiteral("snapshot")}},
                                                                {}}));
    m_sync.name = QStringLiteral("items-files");
    m_sync.model = QStringLiteral("items");
    m_sync.destination = QStringLiteral("files");
    m_sync.object = QStringLiteral("items");
    m_sync.mode = SyncMode::Upsert;
    m_sync.onRemoved = RemovedRowAction::Delete;
    m_sync.guardrails.maxRemovedShare = 1.0;
    m_sync.matchColumn = QStringLiteral("id");
    m_sync.matchField = QStringLiteral("id");
    m_sync.mapping = {MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
                      MappingEntry::fromColumn(QStringLiteral("score"), QStringLiteral("score"))};
    m_sync.changeDetection = ChangeDetection::Warehouse;
    SyncSetup::check(definitions.saveSync(m_sync));
    auto syncId = definitions.syncId(m_sync.name);
    QVERIFY(syncId);
    const QStringList runArguments{QStringLiteral("run"), m_sync.name, QStringLiteral("--workspace"), workspacePath()};

    // The first run, whole, calibrates how long a run takes here.
    QElapsedTimer clock;
    clock.start();
    {
        QProcess first;
        first.start(kCli, runArguments);
        QVERIFY(first.waitForFinished(300000));
        QVERIFY2(first.exitCode() == 0, first.readAllStandardError().constData());
    }
    qint64 window = std::max<qint64>(300, clock.elapsed());

    // Kill instants: random in a window that moves later when a kill landed before the run
    // began (planning only) and earlier when the run beat the kill, so kills spread over the
    // state table refresh, the delivery and the end of the run.
    QRandomGenerator random(20261201);
    qint64 offset = window / 4;
    int kills = 0, behindAtKill = 0, midDelivery = 0, completed = 0, nextId = rows + 1;
    state::LedgerStore ledger(*m_workspace);
    for (int round = 0; (kills < 12 || behindAtKill < 4) && round < 60; ++round) {
        // Some rounds change a few rows (the state table is refreshed key by key), others most
        // (rewritten): both paths get killed.
        const int modulus = random.bounded(2) ? 20 : 2;
        exec(QStringLiteral("UPDATE wcr_items SET score = score + 1 WHERE id % %1 = %2").arg(modulus).arg(round % modulus));
        exec(QStringLiteral("DELETE FROM wcr_items WHERE id % 97 = %1").arg(round % 97));
        exec(QStringLiteral("INSERT INTO wcr_items SELECT g, 'new ' || g, 1 FROM generate_series(%1, %2) g").arg(nextId).arg(nextId + 99));
        nextId += 100;
        auto before = ledger.generation(*syncId);
        QVERIFY(before);

        QProcess run;
        run.start(kCli, runArguments);
        QVERIFY(run.waitForStarted());
        if (run.waitForFinished(int(offset + random.bounded(window / 2 + 1)))) {
            QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
            ++completed;
            offset = std::max<qint64>(0, offset - window / 8);
        } else {
            run.kill(); // SIGKILL
            run.waitForFinished();
            ++kills;
            auto generation = ledger.generation(*syncId);
            QVERIFY(generation);
            auto inFlight = ledger.inFlight(*syncId);
            QVERIFY(inFlight);
            midDelivery += inFlight->empty() ? 0 : 1;
            const qint64 stateGeneration = integer(
                QStringLiteral("SELECT max(generation) FROM %1.syncline_state_meta").arg(kSchema));
            behindAtKill += stateGeneration < *generation ? 1 : 0;
            if (*generation == *before)
                offset += window / 8; // killed while planning: aim later
        }

        // The first plan after the kill meets whatever it left; the local plan is the reference.
        QString stateTable;
        const std::vector<PlannedRow> inWarehouse = plan(ChangeDetection::Warehouse, &stateTable);
        const std::vector<PlannedRow> reference = plan(ChangeDetection::Local);
        QVERIFY2(inWarehouse == reference,
                 qPrintable(QStringLiteral("round %1: warehouse plan (%2 rows, state table %3) differs from the local plan (%4 rows)")
                                .arg(round)
                                .arg(inWarehouse.size())
                                .arg(stateTable)
                                .arg(reference.size())));
        m_sync.changeDetection = ChangeDetection::Warehouse;
        SyncSetup::check(state::DefinitionStore(*m_workspace).saveSync(m_sync));
    }
    QVERIFY2(kills > 0, "no run was killed");
    QVERIFY2(behindAtKill > 0, "no kill left the state table behind the ledger");

    // A last whole run; then nothing is left to send, in either mode.
    QProcess last;
    last.start(kCli, runArguments);
    QVERIFY(last.waitForFinished(300000));
    QVERIFY2(last.exitCode() == 0, last.readAllStandardError().constData());
    qint64 toSend = -1;
    const std::vector<PlannedRow> after = plan(ChangeDetection::Warehouse, nullptr, &toSend);
    QVERIFY(after == plan(ChangeDetection::Local));
    QCOMPARE(toSend, 0);
    qInfo("%d kills (%d during delivery, %d with the state table behind the ledger), %d runs completed", kills, midDelivery,
          behindAtKill, completed);
    exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(kSchema));
    exec(QStringLiteral("DROP TABLE wcr_items"));
}

QTEST_GUILESS_MAIN(TestWarehouseCrash)
#include "tst_warehousecrash.moc"
