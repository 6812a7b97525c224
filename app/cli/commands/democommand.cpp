// `syncline-cli demo`: sets up a workspace with the embedded demo warehouse, a customers model, a
// file destination and a sync, then runs it and prints the plan and the outcome.
#include "app/cli/commands/plancommon.h"

#include "engine/demo/demowarehouse.h"
#include "engine/state/definitionstore.h"
#include "engine/sync/syncrunner.h"

#include <QDir>
#include <QStandardPaths>

namespace syncline::cli {
namespace {

using namespace syncline::engine;

const QString kSource = QStringLiteral("demo-warehouse");
const QString kModel = QStringLiteral("demo-customers");
const QString kDestination = QStringLiteral("demo-files");
const QString kSync = QStringLiteral("demo-customers-to-files");

MappingEntry column(const QString &name, const QString &field, const QString &cast = {})
{
    MappingEntry entry;
    entry.kind = MappingEntry::SourceKind::Column;
    entry.column = name;
    entry.field = field;
    entry.cast = cast;
    return entry;
}

Result<void> defineDemo(state::Workspace &workspace, const QString &warehousePath, const QString &exportFolder)
{
    state::DefinitionStore definitions(workspace);
    SourceDef source{kSource, demo::demoConnectionString(warehousePath), {}};
    ModelDef model{kModel, kSource,
                   QStringLiteral("select id, email, first_name, last_name, plan, country, seats, lifetime_value, "
                                  "signup_date, is_active from customers"),
                   {QStringLiteral("id")}};
    DestinationDef destination;
    destination.name = kDestination;
    destination.type = QStringLiteral("file");
    destination.settings = QVariantMap{{QStringLiteral("folder"), exportFolder},
                                       {QStringLiteral("format"), QStringLiteral("jsonl")},
                                       {QStringLiteral("layout"), QStringLiteral("snapshot")}};
    SyncDef sync;
    sync.name = kSync;
    sync.model = kModel;
    sync.destination = kDestination;
    sync.object = QStringLiteral("customers");
    sync.mode = SyncMode::Upsert;
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("id");
    MappingEntry fullName;
    fullName.kind = MappingEntry::SourceKind::Template;
    fullName.templateText = QStringLiteral("{{first_name}} {{last_name}}");
    fullName.field = QStringLiteral("full_name");
    sync.mapping = {column(QStringLiteral("email"), QStringLiteral("email")), fullName,
                    column(QStringLiteral("plan"), QStringLiteral("plan")),
                    column(QStringLiteral("country"), QStringLiteral("country")),
                    column(QStringLiteral("seats"), QStringLiteral("seats")),
                    column(QStringLiteral("lifetime_value"), QStringLiteral("lifetime_value")),
                    column(QStringLiteral("signup_date"), QStringLiteral("signup_date")),
                    column(QStringLiteral("is_active"), QStringLiteral("is_active"), QStringLiteral("boolean"))};
    return workspace.transaction([&]() -> Result<void> {
        if (auto ok = definitions.saveSource(source); !ok)
            return ok;
        if (auto ok = definitions.saveModel(model); !ok)
            return ok;
        if (auto ok = definitions.saveDestination(destination); !ok)
            return ok;
        return definitions.saveSync(sync);
    });
}

int runDemo(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("demo"), 0))
        return 2;
    auto warehouse = demo::ensureDemoWarehouse();
    if (!warehouse)
        return failWith(context, warehouse.error().toString());
    const QString exportFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                 + QStringLiteral("/demo/exports");
    if (!QDir().mkpath(exportFolder))
        return failWith(context, QStringLiteral("demo: cannot create the export folder %1").arg(exportFolder));
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink, false);
    if (!engine)
        return 1;
    if (auto ok = defineDemo(engine->workspace(), *warehouse, exportFolder); !ok)
        return failWith(context, ok.error().toString());
    auto result = sync::SyncRunner(engine->services()).run(kSync);
    if (!result)
        return failWith(context, result.error().toString());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object = planJson(result->plan, kSync);
        if (result->run)
            addRunJson(object, *result->run);
        object.insert(QStringLiteral("workspace"), engine->workspace().path());
        object.insert(QStringLiteral("folder"), exportFolder);
        printJson(context, object);
        return result->run ? exitCodeOf(*result->run) : ExitBlocked;
    }
    QTextStream &out = context.out;
    out << "Demo workspace: " << engine->workspace().path() << "\n"
        << "Demo warehouse: " << *warehouse << " (SQLite, read through ODBC)\n"
        << "Destination:    " << exportFolder << " (JSON Lines snapshot)\n\n";
    printPlan(context, result->plan, kSync);
    if (!result->run)
        return ExitBlocked;
    printRun(context, *result->run);
    out << "\nTry: syncline-cli runs " << kSync << "; syncline-cli plan " << kSync
        << " (running the demo again sends nothing: nothing changed)." << Qt::endl;
    return exitCodeOf(*result->run);
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("demo"), QStringLiteral("demo [--json] [--workspace FILE]"),
                             QStringLiteral("set up the demo (embedded warehouse -> files), run it, print plan and outcome"),
                             &runDemo});

} // namespace syncline::cli
