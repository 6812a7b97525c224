// `syncline-cli runs [SYNC]`: recent runs, newest first.
#include "app/cli/commands/plancommon.h"

#include "engine/state/definitionstore.h"
#include "engine/sync/syncbundle.h"
#include "engine/sync/syncplanner.h"

#include <QJsonArray>

namespace syncline::cli {
namespace {
int runRuns(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("limit"), QStringLiteral("at most N runs (default 20)"),
                                        QStringLiteral("N"), QStringLiteral("20")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("runs"), 0, 1))
        return 2;
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    std::optional<qint64> syncId;
    if (!parser.positionalArguments().isEmpty()) {
        auto id = engine::state::DefinitionStore(engine->workspace()).syncId(parser.positionalArguments().first());
        if (!id)
            return failWith(context, id.error().toString());
        syncId = *id;
    }
    auto runs = engine::state::RunStore(engine->workspace()).runs(syncId, parser.value(QStringLiteral("limit")).toInt());
    if (!runs)
        return failWith(context, runs.error().toString());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const auto &run : *runs) {
            QJsonObject object{{QStringLiteral("sync"), engine::sync::syncNameById(engine->workspace(), run.syncId).value_or(QString())},
                               {QStringLiteral("plan"), run.planId ? QJsonValue(*run.planId) : QJsonValue()},
                               {QStringLiteral("started_at"), formatTime(run.startedAtMs)}};
            addRunJson(object, run);
            list.append(object);
        }
        printJson(context, QJsonObject{{QStringLiteral("runs"), list}});
        return 0;
    }
    QTextStream &out = context.out;
    out << QStringLiteral("%1  %2  %3  %9  %4  %5  %6  %7  %8\n")
               .arg(QStringLiteral("run"), 6)
               .arg(QStringLiteral("sync"), -24)
               .arg(QStringLiteral("status"), -10)
               .arg(QStringLiteral("started"), -19)
               .arg(QStringLiteral("sent"), 11)
               .arg(QStringLiteral("accepted"), 11)
               .arg(QStringLiteral("rejected"), 11)
               .arg(QStringLiteral("took"), 9)
               .arg(QStringLiteral("trigger"), -8);
    for (const auto &run : *runs) {
        const QString took = run.finishedAtMs ? formatMs(double(run.finishedAtMs - run.startedAtMs)) : QStringLiteral("-");
        out << QStringLiteral("%1  %2  %3  %9  %4  %5  %6  %7  %8\n")
                   .arg(run.id, 6)
                   .arg(engine::sync::syncNameById(engine->workspace(), run.syncId).value_or(QStringLiteral("?")), -24)
                   .arg(run.status, -10)
                   .arg(formatTime(run.startedAtMs), -19)
                   .arg(engine::sync::formatCount(run.counts.sent), 11)
                   .arg(engine::sync::formatCount(run.counts.accepted), 11)
                   .arg(engine::sync::formatCount(run.counts.rejected), 11)
                   .arg(took, 9)
                   .arg(engine::state::runTriggerName(run.trigger), -8);
        if (!run.error.isEmpty())
            out << "        " << run.error << "\n";
    }
    out.flush();
    return 0;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("runs"), QStringLiteral("runs [SYNC] [--limit N] [--json] [--workspace FILE]"),
                             QStringLiteral("list recent runs with their status and counts"), &runRuns});

} // namespace syncline::cli
