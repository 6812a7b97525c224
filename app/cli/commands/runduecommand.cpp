// `syncline-cli run-due`: runs every sync that is due once, each under its lease, and exits.
// What the systemd timer (schedule install), launchd or Task Scheduler call every minute.
#include "app/cli/commands/plancommon.h"
#include "app/cli/interruptcancel.h"

#include "engine/schedule/clock.h"
#include "engine/schedule/duerunner.h"
#include "engine/schedule/schedulestatus.h"
#include "engine/sync/syncplanner.h"

#include <QJsonArray>
#include <QTimeZone>

namespace syncline::cli {
namespace {

using engine::schedule::DueOutcome;

QJsonObject outcomeJson(const DueOutcome &outcome)
{
    QJsonObject object{{QStringLiteral("sync"), outcome.syncName},
                       {QStringLiteral("outcome"), engine::schedule::dueOutcomeName(outcome.kind)},
                       {QStringLiteral("trigger"), engine::state::runTriggerName(outcome.trigger)},
                       {QStringLiteral("message"), outcome.message}};
    if (outcome.run)
        addRunJson(object, *outcome.run);
    if (outcome.kind == DueOutcome::Kind::PutOff)
        object.insert(QStringLiteral("next_attempt"), formatTime(outcome.nextAttemptAtMs));
    return object;
}

void printOutcome(CommandContext &context, const DueOutcome &outcome)
{
    QTextStream &out = context.out;
    out << "sync '" << outcome.syncName << "': ";
    switch (outcome.kind) {
    case DueOutcome::Kind::Ran:
        out << "run " << outcome.run->id << " (" << engine::state::runTriggerName(outcome.trigger) << ") "
            << outcome.run->status << ", " << engine::sync::formatCount(outcome.run->counts.sent) << " sent, "
            << engine::sync::formatCount(outcome.run->counts.rejected) << " rejected";
        if (!outcome.run->error.isEmpty())
            out << ": " << outcome.run->error;
        break;
    case DueOutcome::Kind::PutOff:
        out << "put off until " << formatTime(outcome.nextAttemptAtMs) << ": " << outcome.message;
        break;
    case DueOutcome::Kind::Busy: out << "skipped: " << outcome.message; break;
    case DueOutcome::Kind::Blocked: out << "blocked, nothing sent: " << outcome.message; break;
    case DueOutcome::Kind::Refused: out << "not run: " << outcome.message; break;
    case DueOutcome::Kind::NotDue: out << "not due"; break;
    }
    out << "\n";
}

bool failed(const DueOutcome &outcome)
{
    if (outcome.kind == DueOutcome::Kind::Refused)
        return true;
    return outcome.run && outcome.run->status != QLatin1String("succeeded");
}

int runRunDue(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parseSyncOptions(context, parser, QStringLiteral("run-due"), 0))
        return 2;
    const InterruptCancel interrupt;
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const engine::schedule::SystemClock clock;
    // A schedule stored before it was checked (or edited by hand) never runs: say so.
    if (auto statuses = engine::schedule::scheduleStatuses(engine->workspace(), clock.now(), QTimeZone::systemTimeZone()))
        for (const auto &status : *statuses)
            if (!status.scheduleError.isEmpty())
                context.err << "warning: sync '" << status.syncName << "' does not run on a schedule: "
                            << status.scheduleError << Qt::endl;
    engine::schedule::DueRunner runner(engine->services(), clock, QTimeZone::systemTimeZone());
    auto outcomes = runner.runAllDue(interrupt.token());
    if (!outcomes)
        return failWith(context, outcomes.error().toString());
    const bool anyFailed = std::any_of(outcomes->begin(), outcomes->end(), failed);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const DueOutcome &outcome : *outcomes)
            list.append(outcomeJson(outcome));
        printJson(context, QJsonObject{{QStringLiteral("syncs"), list}});
    } else {
        if (outcomes->empty())
            context.out << "Nothing is due.\n";
        for (const DueOutcome &outcome : *outcomes)
            printOutcome(context, outcome);
        context.out.flush();
    }
    if (interrupt.token().isCancelled())
        return ExitCancelled;
    return anyFailed ? 1 : 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("run-due"), QStringLiteral("run-due [--json] [--workspace FILE]"),
                             QStringLiteral("run every sync whose schedule says it is due, once each, and exit (1 when "
                                            "a run failed; an unreachable warehouse or destination is put off, not failed)"),
                             &runRunDue});

} // namespace syncline::cli
