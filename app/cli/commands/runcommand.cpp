// `syncline-cli run SYNC`: plan, then apply, under one lock.
#include "app/cli/commands/plancommon.h"
#include "app/cli/interruptcancel.h"

#include "engine/sync/syncrunner.h"

namespace syncline::cli {
namespace {
int runRun(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("run even when a guardrail blocks the plan")));
    if (!parseSyncOptions(context, parser, QStringLiteral("run"), 1))
        return 2;
    const InterruptCancel interrupt;
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const QString syncName = parser.positionalArguments().first();
    engine::sync::ApplyOptions options;
    options.force = parser.isSet(QStringLiteral("force"));
    options.cancellation = interrupt.token();
    options.trigger = engine::state::RunTrigger::Cli;
    engine::sync::PlanOptions planOptions;
    planOptions.cancellation = interrupt.token();
    auto result = engine::sync::SyncRunner(engine->services()).run(syncName, planOptions, options);
    if (!result)
        return failWith(context, result.error().toString(), exitCodeOf(result.error()));
    const bool json = parser.isSet(QStringLiteral("json"));
    QJsonObject object = planJson(result->plan, syncName);
    if (!result->run) {
        if (json) {
            object.insert(QStringLiteral("status"), QStringLiteral("blocked"));
            object.insert(QStringLiteral("sent"), 0);
            object.insert(QStringLiteral("rejected"), 0);
            printJson(context, object);
        } else {
            printPlan(context, result->plan, syncName);
            context.out << "Nothing was sent. Run again with --force to send it anyway." << Qt::endl;
        }
        return ExitBlocked;
    }
    if (json) {
        addRunJson(object, *result->run);
        printJson(context, object);
    } else {
        printPlan(context, result->plan, syncName);
        printRun(context, *result->run);
    }
    return exitCodeOf(*result->run);
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("run"), QStringLiteral("run SYNC [--force] [--json] [--workspace FILE]"),
                             QStringLiteral("plan SYNC and send the plan at once (exit 3 blocked, 4 partial, 5 failed)"),
                             &runRun});

} // namespace syncline::cli
