#include "app/cli/workspaceoption.h"

namespace syncline::cli {

std::optional<QString> takeOption(CommandContext &context, QStringList &arguments, const QString &name, bool &ok)
{
    const QString flag = QStringLiteral("--") + name;
    const QString prefix = flag + QLatin1Char('=');
    std::optional<QString> value;
    for (qsizetype i = 0; i < arguments.size();) {
        if (arguments[i] == flag) {
            if (i + 1 >= arguments.size() || arguments[i + 1].isEmpty()) {
                failWith(context, QStringLiteral("%1 needs a value").arg(flag));
                ok = false;
                return std::nullopt;
            }
            value = arguments[i + 1];
            arguments.remove(i, 2);
        } else if (arguments[i].startsWith(prefix)) {
            value = arguments[i].mid(prefix.size());
            arguments.remove(i);
            if (value->isEmpty()) {
                failWith(context, QStringLiteral("%1 needs a value").arg(flag));
                ok = false;
                return std::nullopt;
            }
        } else {
            ++i;
        }
    }
    return value;
}

bool mergeWorkspaceOption(CommandContext &context, const std::optional<QString> &afterCommand)
{
    if (!afterCommand)
        return true;
    if (!context.workspace.isEmpty() && context.workspace != *afterCommand) {
        failWith(context, QStringLiteral("--workspace was given twice ('%1' and '%2'); give it once, before or after "
                                         "the command")
                              .arg(context.workspace, *afterCommand));
        return false;
    }
    context.workspace = *afterCommand;
    return true;
}

QString workspacePathOf(const CommandContext &context)
{
    return context.workspace.isEmpty() ? engine::state::Workspace::defaultPath() : context.workspace;
}

std::optional<QString> takeWorkspacePath(CommandContext &context, QStringList &arguments)
{
    bool ok = true;
    const auto path = takeOption(context, arguments, QStringLiteral("workspace"), ok);
    if (!ok || !mergeWorkspaceOption(context, path))
        return std::nullopt;
    return workspacePathOf(context);
}

std::unique_ptr<engine::state::Workspace> openWorkspace(
    CommandContext &context, const QString &path, engine::state::Workspace::OpenMode mode)
{
    auto workspace = engine::state::Workspace::open(path, mode);
    if (!workspace) {
        failWith(context, workspace.error().message);
        return nullptr;
    }
    return std::move(*workspace);
}

std::unique_ptr<engine::state::Workspace> openWorkspaceOption(
    CommandContext &context, QStringList &arguments, engine::state::Workspace::OpenMode mode)
{
    const auto path = takeWorkspacePath(context, arguments);
    if (!path)
        return nullptr;
    return openWorkspace(context, *path, mode);
}

} // namespace syncline::cli
