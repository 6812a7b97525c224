// `syncline-cli reset SYNC --full-resync|--tracking-only`.
#include "app/cli/commands/plancommon.h"

#include "engine/sync/syncreset.h"

namespace syncline::cli {
namespace {
int runReset(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("full-resync"), QStringLiteral("the next run sends every row once more")));
    parser.addOption(QCommandLineOption(QStringLiteral("tracking-only"),
                                        QStringLiteral("take the current model as delivered; send nothing")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("reset even when a guardrail blocks the plan")));
    if (!parseSyncOptions(context, parser, QStringLiteral("reset"), 1))
        return 2;
    const bool full = parser.isSet(QStringLiteral("full-resync"));
    const bool tracking = parser.isSet(QStringLiteral("tracking-only"));
    if (full == tracking)
        return failWith(context, QStringLiteral("reset: give exactly one of --full-resync and --tracking-only"), 2);
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const QString syncName = parser.positionalArguments().first();
    engine::sync::SyncReset reset(engine->services());
    if (full) {
        if (auto ok = reset.fullResync(syncName); !ok)
            return failWith(context, ok.error().toString());
        context.out << "Sync '" << syncName << "' will send every row of its model with its next run." << Qt::endl;
        return 0;
    }
    auto plan = reset.trackingOnly(syncName, parser.isSet(QStringLiteral("force")));
    if (!plan)
        return failWith(context, plan.error().toString(), plan.error().code == QStringLiteral("plan.blocked") ? ExitBlocked : 1);
    printPlan(context, *plan, syncName);
    context.out << "Change tracking of sync '" << syncName
                << "' now takes the model above as delivered; nothing was sent." << Qt::endl;
    return 0;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("reset"),
                             QStringLiteral("reset SYNC --full-resync|--tracking-only [--force] [--workspace FILE]"),
                             QStringLiteral("send everything once more with the next run, or take the current model as "
                                            "delivered without sending"),
                             &runReset});

} // namespace syncline::cli
