// syncline-cli: runs Syncline's syncs headless, from a terminal, cron or a server.
// A composition root only: parse the command name, hand the rest to the command.

#include "app/cli/command.h"
#include "engine/core/appfolders.h"
#include "engine/state/foldermigration.h"

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
    out << "\n  --version   print the version\n  --help      this text\n";
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
    QStringList arguments = QCoreApplication::arguments().mid(1);

    if (arguments.isEmpty() || arguments.first() == QStringLiteral("--help") || arguments.first() == QStringLiteral("-h")
        || arguments.first() == QStringLiteral("help")) {
        printUsage(out);
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QStringLiteral("--version")) {
        out << "syncline-cli " << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
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
    CommandContext context{arguments, out, err};
    const int code = command->run(context);
    out.flush();
    err.flush();
    return code;
}
