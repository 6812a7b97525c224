// `syncline-cli version`: the same as --version, for scripts that prefer a command.
#include "app/cli/command.h"

#include <QCoreApplication>

namespace syncline::cli {
namespace {
int runVersion(CommandContext &context)
{
    context.out << "syncline-cli " << QCoreApplication::applicationVersion() << Qt::endl;
    return 0;
}
} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("version"), QStringLiteral("version"),
                             QStringLiteral("print the version"), &runVersion});

} // namespace syncline::cli
