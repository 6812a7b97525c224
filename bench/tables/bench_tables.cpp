// Upsert N model rows into a table destination through the real planner and runner, and print
// rows/s of the apply (the delivery: plan rows read, batches written, ledger committed) and of
// plan + apply. Usage: bench_tables sqlite|postgresql|mariadb|file [rows] (default 200000). PostgreSQL
// and MariaDB read SYNCLINE_TEST_PG_ODBC / SYNCLINE_TEST_MARIADB_ODBC (scripts/test-services.sh).
// Run 1 inserts every row into a new table; run 2 changes every row, so each is an update.

#include "bench/tables/destinationonly.h"
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/core/diagnosticsink.h"
#include "engine/demo/demowarehouse.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncplanner.h"
#include "engine/sync/syncrunner.h"
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <cstdio>
#include <ctime>

using namespace syncline::engine;

namespace {

class Password final : public SecretResolver
{
public:
    explicit Password(QString value) : m_value(std::move(value)) {}
    Result<QString> resolve(const SecretRef &) override { return m_value; }

private:
    QString m_value;
};

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_tables: %s\n", qPrintable(what));
    std::exit(1);
}

void fillWarehouse(const QString &path, int rows, int generation)
{
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    sqlite3_exec(db, "DROP TABLE IF EXISTS people; CREATE TABLE people (id INTEGER, email TEXT, name TEXT, score REAL, seats INTEGER);"
                     "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO people VALUES (?, ?, ?, ?, ?)", -1, &insert, nullptr);
    for (int id = 1; id <= rows; ++id) {
        const std::string email = "person" + std::to_string(id) + "@example.com";
        const std::string name = "Person " + std::to_string(id) + " gen " + std::to_string(generation);
        sqlite3_bind_int(insert, 1, id);
        sqlite3_bind_text(insert, 2, email.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 3, name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 4, id * 0.25 + generation);
        sqlite3_bind_int(insert, 5, id % 50 + generation);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

// CPU seconds of this process so far (the machine may be shared: compare CPU, not wall time).
double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + t.tv_nsec / 1e9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString type = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("sqlite");
    const int rows = argc > 2 ? std::atoi(argv[2]) : 200000;
    QTemporaryDir dir;
    if (qEnvironmentVariableIsSet("BENCH_KEEP")) { // keep the workspace and files, to look inside
        dir.setAutoRemove(false);
        std::printf("kept in %s\n", qPrintable(dir.path()));
    }
    QString connection, password;
    if (type == QLatin1String("sqlite")) {
        connection = dir.filePath(QStringLiteral("destination.sqlite"));
    } else if (type == QLatin1String("file")) {
        QDir(dir.path()).mkpath(QStringLiteral("files"));
    } else {
        const QString full = qEnvironmentVariable(type == QLatin1String("postgresql") ? "SYNCLINE_TEST_PG_ODBC" : "SYNCLINE_TEST_MARIADB_ODBC");
        if (full.isEmpty())
            die(QStringLiteral("the server's connection variable is not set; source scripts/test-services.sh and start it"));
        auto attributes = warehouse::parseConnectionString(full);
        password = warehouse::attributeValue(*attributes, QStringLiteral("PWD"));
        std::erase_if(*attributes, [](const auto &a) { return a.key.compare(QLatin1String("PWD"), Qt::CaseInsensitive) == 0; });
        connection = warehouse::buildConnectionString(*attributes);
    }
    const QString table = QStringLiteral("bench_%1").arg(QCoreApplication::applicationPid());

    // The workspace first, as the app and the CLI open it before any warehouse connection (its
    // one-time SQLite configuration applies only before SQLite is first used).
    auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("bench.syncline")));
    if (!workspace)
        die(workspace.error().toString());
    const QString warehousePath = dir.filePath(QStringLiteral("warehouse.sqlite"));
    fillWarehouse(warehousePath, rows, 0);
    connector::ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    Password secrets(password);
    NullDiagnosticSink diagnostics;
    state::DefinitionStore definitions(**workspace);
    DestinationDef destination{QStringLiteral("dest"), type, {{QStringLiteral("connection"), connection}}, {}};
    if (type == QLatin1String("file"))
        destination.settings = {{QStringLiteral("folder"), dir.filePath(QStringLiteral("files"))}, {QStringLiteral("format"), QStringLiteral("jsonl")}};
    if (!password.isEmpty())
        destination.secrets.insert(QStringLiteral("password"), SecretRef{SecretRef::Kind::Env, QStringLiteral("UNUSED")});
    SyncDef sync;
    sync.name = QStringLiteral("bench");
    sync.model = QStringLiteral("people");
    sync.destination = QStringLiteral("dest");
    sync.object = table;
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    sync.mapping = {MappingEntry::fromColumn(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("integer")),
                    MappingEntry::fromColumn(QStringLiteral("email"), QStringLiteral("email")),
                    MappingEntry::fromColumn(QStringLiteral("name"), QStringLiteral("name")),
                    MappingEntry::fromColumn(QStringLiteral("score"), QStringLiteral("score"), QStringLiteral("number")),
                    MappingEntry::fromColumn(QStringLiteral("seats"), QStringLiteral("seats"), QStringLiteral("integer"))};
    for (const Result<void> &ok : {definitions.saveSource(SourceDef{QStringLiteral("wh"), demo::demoConnectionString(warehousePath), {}}),
                                   definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                                                  QStringLiteral("select * from people"), {QStringLiteral("id")}}),
                                   definitions.saveDestination(destination), definitions.saveSync(sync)})
        if (!ok)
            die(ok.error().toString());
    sync::EngineServices services{**workspace, registry, secrets, diagnostics};

    std::printf("type=%s rows=%d table=%s\n", qPrintable(type), rows, qPrintable(table));
    for (int round = 1; round <= 2; ++round) {
        if (round == 2)
            fillWarehouse(warehousePath, rows, 1);
        QElapsedTimer clock;
        clock.start();
        const double planCpu = cpuSeconds();
        auto plan = sync::SyncPlanner(services).plan(sync.name);
        if (!plan)
            die(plan.error().toString());
        const double planSeconds = clock.nsecsElapsed() / 1e9;
        clock.restart();
        const double applyCpu = cpuSeconds();
        auto run = sync::SyncRunner(services).apply(plan->id);
        if (!run)
            die(run.error().toString());
        const double applySeconds = clock.nsecsElapsed() / 1e9;
        const double endCpu = cpuSeconds();
        if (run->status != QLatin1String("succeeded") || run->counts.accepted != rows)
            die(QStringLiteral("run %1: %2 accepted of %3: %4").arg(run->status).arg(run->counts.accepted).arg(rows).arg(run->error));
        std::printf("run %d (%s): plan %.2f s, apply %.2f s (deliver %.0f ms, ledger commit %.0f ms): %.0f rows/s applied, "
                    "%.0f rows/s plan+apply\n",
                    round, round == 1 ? "insert into a new table" : "every row changed", planSeconds, applySeconds,
                    run->timings.value(QStringLiteral("deliver_ms")).toDouble(),
                    run->timings.value(QStringLiteral("commit_ms")).toDouble(), rows / applySeconds,
                    rows / (planSeconds + applySeconds));
        std::printf("run %d cpu: plan %.2f s, apply %.2f s: %.0f rows per apply CPU second; workspace %.0f bytes per row\n",
                    round, applyCpu - planCpu, endCpu - applyCpu, rows / (endCpu - applyCpu),
                    double(QFileInfo(dir.filePath(QStringLiteral("bench.syncline"))).size()
                           + QFileInfo(dir.filePath(QStringLiteral("bench.syncline-wal"))).size()) / rows);
        std::fflush(stdout);
    }
    if (type != QLatin1String("file"))
        benchtables::destinationOnly(registry, secrets, destination, table + QStringLiteral("_alone"), rows);
    // Leave nothing behind on the server.
    if (type != QLatin1String("sqlite") && type != QLatin1String("file")) {
        warehouse::ConnectionSpec spec;
        spec.connectionString = connection;
        spec.password = password;
        if (auto drop = warehouse::OdbcConnection::open(spec))
            for (const QString &name : QStringList{table, table + QStringLiteral("_alone")})
                (void)(*drop)->executeUpdate(QStringLiteral("DROP TABLE ") + name);
    }
    return 0;
}
