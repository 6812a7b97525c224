// syncline-cli: runs Syncline's syncs headless, from a terminal, cron or a server.
// A composition root only: parse the global options and the command name, hand the rest to the
// command. Global options (--workspace) go before the command, or after it like its own options.

#include "app/cli/command.h"
#include "engine/core/appfolders.h"
#include "engine/state/foldermigration.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace syncline::cli;

namespace {

void printUsage(QTextStream &out)
{
    out << "usage: syncline-cli COMMAND [OPTIONS]\n\n"
        << "Reverse ETL from your warehouse to the tools your team uses, run headless.\n\n"
        << "Commands:\n";
    auto commands = commandRegistry();
    std::sort(commands.begin(), commands.end(), [](const Command &a, const Command &b) { return a.name < b.name; });
    for (const Command &command : commands)
        out << "  " << command.synopsis << "\n      " << command.summary << "\n";
    out << "\nGlobal options (before or after the command):\n"
        << "  --workspace FILE   the workspace file (default: $SYNCLINE_WORKSPACE or the user's default)\n"
        << "  --version          print the version\n  --help             this text\n";
    out.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    syncline::engine::AppFolders::setIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNCLINE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    // Everything from the command name on belongs to the command.
    QCommandLineParser global;
    global.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("the workspace file"), QStringLiteral("FILE"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("this text"));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("print the version"));
    global.addOptions({workspace, help, version});
    if (!global.parse(QCoreApplication::arguments())) {
        QString why = global.errorText();
        if (why.endsWith(QLatin1Char('.')))
            why.chop(1);
        err << "syncline-cli: " << why << " before the command; run 'syncline-cli --help'" << Qt::endl;
        return 2;
    }
    QStringList arguments = global.positionalArguments();
    if (global.isSet(version)) {
        out << "syncline-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    }
    if (global.isSet(help) || arguments.isEmpty() || arguments.first() == QStringLiteral("help")) {
        printUsage(out);
        return arguments.isEmpty() && !global.isSet(help) ? 2 : 0;
    }
    if (global.isSet(workspace) && global.value(workspace).isEmpty()) {
        err << "syncline-cli: --workspace needs a value" << Qt::endl;
        return 2;
    }

    // First start after an upgrade: the workspace and settings move to today's folders.
    for (const QString &line : syncline::engine::state::migrateLegacyFolders().messages)
        err << "syncline-cli: " << line << Qt::endl;

    const QString name = arguments.takeFirst();
    const auto &commands = commandRegistry();
    const auto command = std::find_if(commands.begin(), commands.end(), [&](const Command &c) { return c.name == name; });
    if (command == commands.end()) {
        err << "syncline-cli: unknown command '" << name << "'; run 'syncline-cli --help' for the list" << Qt::endl;
        return 2;
    }
    CommandContext context{arguments, out, err, global.value(workspace)};
    const int code = command->run(context);
    out.flush();
    err.flush();
    return code;
}
