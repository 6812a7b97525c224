// `syncline-cli demo`: sets up a workspace with the embedded demo warehouse, a customers model, a
// file destination and a sync, then runs it and prints the plan and the outcome.
#include "app/cli/commands/plancommon.h"

#include "engine/demo/demowarehouse.h"
#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/sync/syncrunner.h"


namespace syncline::cli {
namespace {

using namespace syncline::engine;

// The same definitions the app's first start installs (engine/demo/demoworkspace.h).
const QString kSync = demo::DemoNames::sync();

int runDemo(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("demo"), 0))
        return 2;
    auto warehouse = demo::ensureDemoWarehouse();
    if (!warehouse)
        return failWith(context, warehouse.error().toString());
    const QString exportFolder = demo::defaultDemoExportFolder();
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink, false);
    if (!engine)
        return 1;
    state::DefinitionStore definitions(engine->workspace());
    if (auto ok = demo::installDemoDefinitions(definitions, exportFolder); !ok)
        return failWith(context, ok.error().toString());
    sync::ApplyOptions options;
    options.trigger = state::RunTrigger::Cli;
    auto result = sync::SyncRunner(engine->services()).run(kSync, {}, options);
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
        << "Destination:    " << exportFolder << " (CSV snapshot)\n\n";
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
