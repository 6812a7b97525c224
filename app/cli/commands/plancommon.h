#pragma once
// What the sync commands (plan, show-plan, apply, run, runs, ledger, reset, demo) share: option
// parsing with --workspace, opening the engine, and printing plans and runs as aligned text or
// as one JSON object.

#include "app/cli/command.h"
#include "app/common/enginebootstrap.h"
#include "engine/state/planstore.h"
#include "engine/state/runstore.h"

#include <QCommandLineParser>
#include <QJsonObject>

#include <memory>
#include <mutex>

namespace syncline::cli {

// Exit codes of the sync commands beyond 0 (success) and 1 (error).
enum SyncExitCode { ExitBlocked = 3, ExitPartial = 4, ExitFailed = 5, ExitCancelled = 6 };

// Prints engine diagnostics on stderr.
class StreamDiagnosticSink final : public engine::DiagnosticSink
{
public:
    explicit StreamDiagnosticSink(QTextStream &err) : m_err(err) {}
    void report(engine::Severity severity, const QString &where, const QString &message) override;

private:
    QTextStream &m_err;
    std::mutex m_mutex;
};

// Adds --workspace FILE to `parser` and parses `context.arguments` (merging --workspace into
// context.workspace, see workspaceoption.h); prints the error and returns false on bad options
// or a wrong number of positional arguments.
bool parseSyncOptions(CommandContext &context, QCommandLineParser &parser, const QString &command, int positional,
                      int maxPositional = -1);

// Opens the workspace named by the global or the command's --workspace (or the default one);
// prints the error on failure.
std::unique_ptr<app::EngineBootstrap> openEngine(CommandContext &context, const QCommandLineParser &parser,
                                                 engine::DiagnosticSink &sink, bool mustExist = true);

QJsonObject planJson(const engine::state::PlanInfo &plan, const QString &syncName);
void addRunJson(QJsonObject &object, const engine::state::RunInfo &run);
void printJson(CommandContext &context, const QJsonObject &object);

void printPlan(CommandContext &context, const engine::state::PlanInfo &plan, const QString &syncName);
void printRun(CommandContext &context, const engine::state::RunInfo &run);
int exitCodeOf(const engine::state::RunInfo &run);
// 6 for a cancelled plan or run (Ctrl-C), 3 for a blocked plan, 1 for any other error.
int exitCodeOf(const engine::Error &error);

QString formatMs(double milliseconds);   // "850 ms", "12.4 s"
QString formatTime(qint64 epochMs);      // local "2026-11-25 14:03:07"

} // namespace syncline::cli
