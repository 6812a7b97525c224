#include "app/cli/commands/plancommon.h"

#include "app/cli/workspaceoption.h"
#include "engine/sync/syncplanner.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::cli {

using engine::sync::formatCount;

void StreamDiagnosticSink::report(engine::Severity severity, const QString &where, const QString &message)
{
    std::lock_guard lock(m_mutex);
    const char *label = severity == engine::Severity::Error ? "error" : severity == engine::Severity::Warning ? "warning" : "note";
    m_err << label << ": " << where << ": " << message << Qt::endl;
}

bool parseSyncOptions(CommandContext &context, QCommandLineParser &parser, const QString &command, int positional,
                      int maxPositional)
{
    parser.addOption(QCommandLineOption(QStringLiteral("workspace"),
                                        QStringLiteral("the workspace file (default: $SYNCLINE_WORKSPACE or the user's default)"),
                                        QStringLiteral("FILE")));
    if (!parser.parse(QStringList{command} + context.arguments)) {
        failWith(context, command + QStringLiteral(": ") + parser.errorText());
        return false;
    }
    if (!mergeWorkspaceOption(context, parser.isSet(QStringLiteral("workspace"))
                                           ? std::optional<QString>(parser.value(QStringLiteral("workspace")))
                                           : std::nullopt))
        return false;
    const int given = int(parser.positionalArguments().size());
    if (given < positional || given > (maxPositional < 0 ? positional : maxPositional)) {
        failWith(context, QStringLiteral("%1: expected %2 argument(s); run 'syncline-cli --help'").arg(command).arg(positional));
        return false;
    }
    return true;
}

std::unique_ptr<app::EngineBootstrap> openEngine(CommandContext &context, const QCommandLineParser &,
                                                 engine::DiagnosticSink &sink, bool mustExist)
{
    using Mode = engine::state::Workspace::OpenMode;
    auto engine = app::EngineBootstrap::open(context.workspace, sink,
                                             mustExist ? Mode::MustExist : Mode::CreateIfMissing);
    if (!engine) {
        failWith(context, engine.error().toString());
        return nullptr;
    }
    return std::move(*engine);
}

QJsonObject planJson(const engine::state::PlanInfo &plan, const QString &syncName)
{
    QJsonArray examples;
    for (const auto &example : plan.invalidExamples)
        examples.append(QJsonObject{{QStringLiteral("key"), example.key.isEmpty() ? QJsonValue() : QJsonValue(example.key)},
                                    {QStringLiteral("reason"), example.reason}});
    return QJsonObject{
        {QStringLiteral("plan"), plan.id},
        {QStringLiteral("sync"), syncName},
        {QStringLiteral("mode"), engine::syncModeName(plan.mode)},
        {QStringLiteral("on_removed"), engine::removedRowActionName(plan.onRemoved)},
        {QStringLiteral("added"), plan.counts.added},
        {QStringLiteral("changed"), plan.counts.changed},
        {QStringLiteral("removed"), plan.counts.removed},
        {QStringLiteral("unchanged"), plan.counts.unchanged},
        {QStringLiteral("invalid"), plan.counts.invalid},
        {QStringLiteral("to_send"), plan.counts.toSend},
        {QStringLiteral("blocked"), plan.blocked},
        {QStringLiteral("guardrail"), plan.guardrail},
        {QStringLiteral("invalid_examples"), examples},
        {QStringLiteral("plan_timings"), plan.timings},
    };
}

void addRunJson(QJsonObject &object, const engine::state::RunInfo &run)
{
    object.insert(QStringLiteral("run"), run.id);
    object.insert(QStringLiteral("status"), run.status);
    object.insert(QStringLiteral("trigger"), engine::state::runTriggerName(run.trigger));
    object.insert(QStringLiteral("sent"), run.counts.sent);
    object.insert(QStringLiteral("accepted"), run.counts.accepted);
    object.insert(QStringLiteral("rejected"), run.counts.rejected);
    object.insert(QStringLiteral("timings"), run.timings);
    object.insert(QStringLiteral("error"), run.error);
}

void printJson(CommandContext &context, const QJsonObject &object)
{
    context.out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << Qt::endl;
}

void printPlan(CommandContext &context, const engine::state::PlanInfo &plan, const QString &syncName)
{
    QTextStream &out = context.out;
    out << "Plan " << plan.id << " of sync '" << syncName << "' (mode " << engine::syncModeName(plan.mode)
        << ", removed rows: " << engine::removedRowActionName(plan.onRemoved) << ")\n";
    const std::pair<const char *, qint64> lines[] = {{"added", plan.counts.added},     {"changed", plan.counts.changed},
                                                     {"removed", plan.counts.removed}, {"unchanged", plan.counts.unchanged},
                                                     {"invalid", plan.counts.invalid}, {"to send", plan.counts.toSend}};
    for (const auto &[label, value] : lines)
        out << "  " << QString::fromLatin1(label).leftJustified(10) << formatCount(value).rightJustified(14) << "\n";
    if (!plan.invalidExamples.empty()) {
        out << "Invalid rows are never sent; examples:\n";
        for (const auto &example : plan.invalidExamples)
            out << "  " << (example.key.isEmpty() ? QStringLiteral("(no key)") : QStringLiteral("key ") + example.key) << ": "
                << example.reason << "\n";
    }
    if (plan.blocked)
        out << "BLOCKED: " << plan.guardrail << "\n";
    out.flush();
}

void printRun(CommandContext &context, const engine::state::RunInfo &run)
{
    QTextStream &out = context.out;
    out << "Run " << run.id << ": " << run.status << "\n";
    const std::pair<const char *, qint64> lines[] = {
        {"sent", run.counts.sent}, {"accepted", run.counts.accepted}, {"rejected", run.counts.rejected}};
    for (const auto &[label, value] : lines)
        out << "  " << QString::fromLatin1(label).leftJustified(10) << formatCount(value).rightJustified(14) << "\n";
    QStringList phases;
    const std::pair<const char *, const char *> names[] = {
        {"extract_ms", "extract"}, {"map_diff_ms", "map+diff"}, {"deliver_ms", "deliver"}, {"commit_ms", "commit"}};
    for (const auto &[key, label] : names)
        if (run.timings.contains(QLatin1String(key)))
            phases << QString::fromLatin1(label) + QStringLiteral(" ")
                          + formatMs(run.timings.value(QLatin1String(key)).toDouble());
    if (!phases.isEmpty())
        out << "  timings   " << phases.join(QStringLiteral(", ")) << "\n";
    if (!run.error.isEmpty())
        out << "  " << run.error << "\n";
    out.flush();
}

int exitCodeOf(const engine::state::RunInfo &run)
{
    if (run.status == QStringLiteral("succeeded"))
        return 0;
    if (run.status == QStringLiteral("partial"))
        return ExitPartial;
    if (run.status == QStringLiteral("cancelled"))
        return ExitCancelled;
    return ExitFailed;
}

int exitCodeOf(const engine::Error &error)
{
    if (error.code == QStringLiteral("run.cancelled"))
        return ExitCancelled;
    if (error.code == QStringLiteral("plan.blocked"))
        return ExitBlocked;
    return 1;
}

QString formatMs(double milliseconds)
{
    if (milliseconds < 1000)
        return QStringLiteral("%1 ms").arg(qint64(milliseconds));
    return QStringLiteral("%1 s").arg(milliseconds / 1000.0, 0, 'f', 1);
}

QString formatTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace syncline::cli
