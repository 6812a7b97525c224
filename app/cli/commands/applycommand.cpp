// `syncline-cli apply PLAN`: sends exactly the rows of a previewed plan.
#include "app/cli/commands/plancommon.h"
#include "app/cli/interruptcancel.h"

#include "engine/sync/syncbundle.h"
#include "engine/sync/syncrunner.h"

namespace syncline::cli {
namespace {
int runApply(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("apply a plan a guardrail blocked")));
    if (!parseSyncOptions(context, parser, QStringLiteral("apply"), 1))
        return 2;
    bool numeric = false;
    const qint64 planId = parser.positionalArguments().first().toLongLong(&numeric);
    if (!numeric)
        return failWith(context, QStringLiteral("apply: PLAN is a plan number, as 'syncline-cli plan' prints it"), 2);
    const InterruptCancel interrupt;
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    engine::sync::ApplyOptions options;
    options.force = parser.isSet(QStringLiteral("force"));
    options.cancellation = interrupt.token();
    options.trigger = engine::state::RunTrigger::Cli;
    auto run = engine::sync::SyncRunner(engine->services()).apply(planId, options);
    if (!run)
        return failWith(context, run.error().toString(), run.error().code == QStringLiteral("plan.blocked") ? ExitBlocked : 1);
    auto plan = engine::state::PlanStore(engine->workspace()).plan(planId);
    auto syncName = engine::sync::syncNameById(engine->workspace(), run->syncId);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object = plan ? planJson(*plan, syncName.value_or(QString())) : QJsonObject{};
        addRunJson(object, *run);
        printJson(context, object);
    } else {
        printRun(context, *run);
    }
    return exitCodeOf(*run);
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("apply"), QStringLiteral("apply PLAN [--force] [--json] [--workspace FILE]"),
                             QStringLiteral("send exactly the rows of plan PLAN (refused when the sync changed since the "
                                            "plan was made; exit 4 partial, 5 failed, 6 cancelled)"),
                             &runApply});

} // namespace syncline::cli
