#pragma once
// A syncline-cli subcommand. Each command lives in app/cli/commands/<name>command.cpp and
// registers itself with SYNCLINE_CLI_COMMAND, so adding one touches no other file.

#include <QStringList>
#include <QTextStream>

#include <functional>
#include <vector>

namespace syncline::cli {

struct CommandContext
{
    QStringList arguments; // the command's own arguments, without the program and command name
    QTextStream &out;      // stdout: results
    QTextStream &err;      // stderr: errors and progress
    // The global --workspace FILE, given before the command (syncline-cli --workspace W runs);
    // empty = the default workspace. A command also accepts it after its name: see
    // workspaceoption.h, which merges both into this field.
    QString workspace = {};
};

struct Command
{
    QString name;
    QString synopsis;   // "query --connection STR --sql SQL [--limit N] [--format table|csv|jsonl|none]"
    QString summary;    // one line for --help
    std::function<int(CommandContext &)> run; // returns the process exit code
};

std::vector<Command> &commandRegistry();
bool registerCommand(Command command);

// Prints "syncline-cli: <message>" on err and returns exit code 1; for one-line errors.
int failWith(CommandContext &context, const QString &message, int exitCode = 1);

} // namespace syncline::cli

#define SYNCLINE_CLI_CONCAT_INNER(a, b) a##b
#define SYNCLINE_CLI_CONCAT(a, b) SYNCLINE_CLI_CONCAT_INNER(a, b)
#define SYNCLINE_CLI_COMMAND(...) \
    static const bool SYNCLINE_CLI_CONCAT(s_registered_, __LINE__) = ::syncline::cli::registerCommand(__VA_ARGS__)
