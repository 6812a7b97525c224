// `syncline-cli plan SYNC`: previews what a run would send, as a frozen plan that `apply` sends.
#include "app/cli/commands/plancommon.h"
#include "app/cli/interruptcancel.h"

#include "engine/sync/syncplanner.h"

namespace syncline::cli {
namespace {
int runPlan(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("plan"), 1))
        return 2;
    const InterruptCancel interrupt;
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const QString syncName = parser.positionalArguments().first();
    engine::sync::PlanOptions options;
    options.cancellation = interrupt.token();
    auto plan = engine::sync::SyncPlanner(engine->services()).plan(syncName, options);
    if (!plan)
        return failWith(context, plan.error().toString(), exitCodeOf(plan.error()));
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(context, planJson(*plan, syncName));
    } else {
        printPlan(context, *plan, syncName);
        context.out << "Preview the rows with 'syncline-cli show-plan " << plan->id << " --rows'; send them with "
                    << "'syncline-cli apply " << plan->id << (plan->blocked ? " --force" : "") << "'." << Qt::endl;
    }
    return plan->blocked ? ExitBlocked : 0;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("plan"), QStringLiteral("plan SYNC [--json] [--workspace FILE]"),
                             QStringLiteral("compute what a run of SYNC would send (added, changed, removed, invalid); "
                                            "sends nothing (exit 3 when a guardrail blocks it)"),
                             &runPlan});

} // namespace syncline::cli
