// `syncline-cli schedule show SYNC | install | uninstall`: a sync's next run times, and the
// systemd user timer that runs due syncs while the app is closed.
#include "app/cli/commands/plancommon.h"
#include "app/cli/workspaceoption.h"
#include "app/common/schedulerinstaller.h"

#include "engine/schedule/clock.h"
#include "engine/schedule/schedulestatus.h"

#include <QJsonArray>
#include <QLocale>
#include <QTimeZone>

namespace syncline::cli {
namespace {

using engine::schedule::Schedule;

QString localText(const QDateTime &instant, const QTimeZone &zone)
{
    const QDateTime local = instant.toTimeZone(zone);
    return QLocale::c().toString(local, QStringLiteral("yyyy-MM-dd HH:mm ddd")) + QLatin1Char(' ') + zone.abbreviation(instant);
}

int showSchedule(CommandContext &context, const QCommandLineParser &parser)
{
    if (parser.positionalArguments().size() != 2)
        return failWith(context, QStringLiteral("usage: syncline-cli schedule show SYNC"), 2);
    StreamDiagnosticSink sink(context.err);
    auto engine = openEngine(context, parser, sink);
    if (!engine)
        return 1;
    const engine::schedule::SystemClock clock;
    const QTimeZone zone = QTimeZone::systemTimeZone();
    const QDateTime now = clock.now();
    auto status = engine::schedule::scheduleStatus(engine->workspace(), parser.positionalArguments()[1], now, zone);
    if (!status)
        return failWith(context, status.error().toString());
    if (!status->schedule)
        return failWith(context, QStringLiteral("sync '%1' has a schedule that cannot be read: %2")
                                     .arg(status->syncName, status->scheduleError));
    const Schedule &schedule = *status->schedule;
    // Due now: it runs at the next look (run-due, the app), then on the schedule from now on.
    std::vector<QDateTime> times;
    if (status->check.due)
        times.push_back(now);
    const QDateTime from = schedule.kind() == Schedule::Kind::Interval && !status->check.due && status->lastStart
                               ? *status->lastStart
                               : now;
    for (const QDateTime &time : schedule.nextRuns(from, 5 - int(times.size()), zone))
        times.push_back(time);

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray next;
        for (const QDateTime &time : times)
            next.append(time.toTimeZone(zone).toString(Qt::ISODate));
        QJsonObject object{{QStringLiteral("sync"), status->syncName},
                           {QStringLiteral("schedule"), schedule.text()},
                           {QStringLiteral("time_zone"), QString::fromUtf8(zone.id())},
                           {QStringLiteral("due"), status->check.due},
                           {QStringLiteral("put_off"), status->putOff},
                           {QStringLiteral("next"), next}};
        if (status->putOff)
            object.insert(QStringLiteral("next_attempt"),
                          QDateTime::fromMSecsSinceEpoch(*status->state.nextAttemptAtMs, zone).toString(Qt::ISODate));
        printJson(context, object);
        return 0;
    }
    QTextStream &out = context.out;
    out << "Sync '" << status->syncName << "': " << schedule.text() << " (time zone " << QString::fromUtf8(zone.id()) << ")\n";
    if (schedule.kind() == Schedule::Kind::Manual) {
        out << "Runs only when started by hand.\n";
        out.flush();
        return 0;
    }
    if (status->putOff)
        out << "Put off until " << localText(QDateTime::fromMSecsSinceEpoch(*status->state.nextAttemptAtMs, Qt::UTC), zone)
            << ": " << status->state.lastError << "\n";
    out << "Next runs:\n";
    for (size_t i = 0; i < times.size(); ++i)
        out << "  " << localText(times[i], zone)
            << (i == 0 && status->check.due
                    ? (status->check.trigger == engine::state::RunTrigger::CatchUp ? "  (due now: one catch-up run)" : "  (due now)")
                    : "")
            << "\n";
    out.flush();
    return 0;
}

int printReport(CommandContext &context, const engine::Result<app::SchedulerInstallReport> &report)
{
    if (!report)
        return failWith(context, report.error().toString());
    QTextStream &out = context.out;
    for (const QString &file : report->written)
        out << "  " << file << "\n";
    for (const QString &command : report->ran)
        out << "ran: " << command << "\n";
    out << report->note << "\n";
    if (!report->toRun.isEmpty()) {
        out << "To finish, run:\n";
        for (const QString &command : report->toRun)
            out << "  " << command << "\n";
    }
    out.flush();
    return 0;
}

int runSchedule(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object (show)")));
    parser.addOption(QCommandLineOption(QStringLiteral("cli"), QStringLiteral("the syncline-cli the timer calls (install)"),
                                        QStringLiteral("PATH")));
    if (!parseSyncOptions(context, parser, QStringLiteral("schedule"), 1, 2))
        return 2;
    const QString action = parser.positionalArguments().first();
    if (action == QLatin1String("show"))
        return showSchedule(context, parser);
    if (action != QLatin1String("install") && action != QLatin1String("uninstall"))
        return failWith(context, QStringLiteral("schedule: unknown action '%1'; use show SYNC, install or uninstall").arg(action), 2);
    if (parser.positionalArguments().size() != 1)
        return failWith(context, QStringLiteral("usage: syncline-cli schedule %1 [--workspace FILE]").arg(action), 2);
    const QString cli = parser.isSet(QStringLiteral("cli")) ? parser.value(QStringLiteral("cli"))
                                                            : app::SchedulerInstaller::defaultCliPath();
    const app::SchedulerInstaller installer(cli, workspacePathOf(context));
    if (action == QLatin1String("install")) {
        // The timer would only fail every minute on a workspace that does not exist.
        StreamDiagnosticSink sink(context.err);
        if (!openEngine(context, parser, sink))
            return 1;
        return printReport(context, installer.install());
    }
    return printReport(context, installer.uninstall());
}

} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("schedule"),
                             QStringLiteral("schedule show SYNC [--json] | schedule install [--cli PATH] | schedule uninstall "
                                            "[--workspace FILE]"),
                             QStringLiteral("show a sync's next five run times; install or remove the systemd user timer "
                                            "that runs due syncs while the app is closed"),
                             &runSchedule});

} // namespace syncline::cli
