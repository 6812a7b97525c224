#include "app/cli/command.h"

namespace syncline::cli {

std::vector<Command> &commandRegistry()
{
    static std::vector<Command> commands;
    return commands;
}

bool registerCommand(Command command)
{
    commandRegistry().push_back(std::move(command));
    return true;
}

int failWith(CommandContext &context, const QString &message, int exitCode)
{
    context.err << "syncline-cli: " << message << Qt::endl;
    return exitCode;
}

} // namespace syncline::cli
