// One delivery measurement for bench/deliver/run.sh: a SQLite model of --rows rows, planned,
// then sent through the real `http` destination to --url with the given batch size, rate and
// concurrency. Prints one JSON line: rows sent and accepted, deliver_ms (the runner's own
// delivery time), rows_per_s over it, and the run's status.
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/demo/demowarehouse.h"
#include "engine/secrets/envsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/sync/syncrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <sqlite3.h>

using namespace syncline::engine;

namespace {

int die(const QString &message)
{
    QTextStream(stderr) << "bench_deliver: " << message << Qt::endl;
    return 1;
}

bool makeWarehouse(const QString &path, qint64 rows)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK)
        return false;
    bool ok = sqlite3_exec(db, "DROP TABLE IF EXISTS people; CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, name TEXT, score INTEGER)",
                           nullptr, nullptr, nullptr)
        == SQLITE_OK;
    const std::string fill = "INSERT INTO people WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < "
        + std::to_string(rows) + ") SELECT id, 'user' || id || '@example.com', 'Person ' || id, id % 1000 FROM n";
    ok = ok && sqlite3_exec(db, fill.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("url"), QStringLiteral("base_url of the http destination"), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("working folder (warehouse and workspace)"), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("rows"), QStringLiteral("model rows"), QStringLiteral("N"), QStringLiteral("40000")});
    parser.addOption({QStringLiteral("batch"), QStringLiteral("batch_size"), QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("rate_limit, e.g. 20/s"), QStringLiteral("RATE"), QStringLiteral("20/s")});
    parser.addOption({QStringLiteral("concurrency"), QStringLiteral("requests in flight"), QStringLiteral("N"), QStringLiteral("8")});
    parser.process(app);
    const QString dir = parser.value(QStringLiteral("dir"));
    const qint64 rows = parser.value(QStringLiteral("rows")).toLongLong();
    if (dir.isEmpty() || !QDir().mkpath(dir) || parser.value(QStringLiteral("url")).isEmpty())
        return die(QStringLiteral("--url and --dir are required"));
    const QString warehousePath = QDir(dir).filePath(QStringLiteral("warehouse.sqlite"));
    if (!makeWarehouse(warehousePath, rows))
        return die(QStringLiteral("cannot write the warehouse ") + warehousePath);

    auto workspace = state::Workspace::open(QDir(dir).filePath(QStringLiteral("deliver.syncline")));
    if (!workspace)
        return die(workspace.error().toString());
    state::DefinitionStore definitions(**workspace);
    SyncDef sync;
    sync.name = QStringLiteral("deliver-bench");
    sync.model = QStringLiteral("people");
    sync.destination = QStringLiteral("api");
    sync.object = QStringLiteral("people");
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    for (const char *column : {"email", "name", "score"}) {
        MappingEntry entry;
        entry.column = QString::fromLatin1(column);
        entry.field = entry.column;
        sync.mapping.push_back(entry);
    }
    const QVariantMap settings{{QStringLiteral("base_url"), parser.value(QStringLiteral("url"))},
                               {QStringLiteral("batch_size"), parser.value(QStringLiteral("batch")).toInt()},
                               {QStringLiteral("concurrency"), parser.value(QStringLiteral("concurrency")).toInt()},
                               {QStringLiteral("rate_limit"), parser.value(QStringLiteral("rate"))},
                               {QStringLiteral("timeout"), QStringLiteral("30s")}};
    for (const Result<void> &ok :
         {definitions.saveSource(SourceDef{QStringLiteral("wh"), demo::demoConnectionString(warehousePath), {}}),
          definitions.saveModel(ModelDef{QStringLiteral("people"), QStringLiteral("wh"),
                                         QStringLiteral("select id, email, name, score from people"), {QStringLiteral("id")}}),
          definitions.saveDestination(DestinationDef{QStringLiteral("api"), QStringLiteral("http"), settings, {}}),
          definitions.saveSync(sync)}) {
        if (!ok)
            return die(ok.error().toString());
    }

    connector::ConnectorRegistry registry;
    syncline::connectors::registerBuiltinConnectors(registry);
    secrets::EnvSecretResolver secrets;
    NullDiagnosticSink sink;
    sync::EngineServices services{**workspace, registry, secrets, sink};
    auto result = sync::SyncRunner(services).run(sync.name);
    if (!result)
        return die(result.error().toString());
    if (!result->run)
        return die(QStringLiteral("the plan was blocked: ") + result->plan.guardrail);
    const state::RunInfo &run = *result->run;
    const qint64 deliverMs = run.timings.value(QStringLiteral("deliver_ms")).toInteger();
    QJsonObject report{{QStringLiteral("rows"), rows},
                       {QStringLiteral("status"), run.status},
                       {QStringLiteral("sent"), run.counts.sent},
                       {QStringLiteral("accepted"), run.counts.accepted},
                       {QStringLiteral("rejected"), run.counts.rejected},
                       {QStringLiteral("deliver_ms"), deliverMs},
                       {QStringLiteral("rows_per_s"), deliverMs > 0 ? double(run.counts.accepted) * 1000.0 / double(deliverMs) : 0.0}};
    if (!run.error.isEmpty())
        report.insert(QStringLiteral("error"), run.error.left(300));
    QTextStream(stdout) << QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Compact)) << Qt::endl;
    return run.status == QStringLiteral("succeeded") ? 0 : 1;
}
