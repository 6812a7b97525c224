#pragma once
// The `--workspace FILE` option every workspace command takes: resolves it (default: the user's
// default workspace, $SYNCLINE_WORKSPACE or <AppData>/default.syncline) and opens the workspace,
// reporting a failure as one line on stderr.

#include "app/cli/command.h"
#include "engine/state/workspace.h"

#include <memory>
#include <optional>

namespace syncline::cli {

// --workspace is global: given before the command it is already in context.workspace; given after
// it, the command's parser hands its value here. Two different values are refused. Returns false
// (after printing why) on a conflict; on success context.workspace holds the path, or is empty
// for the default workspace.
bool mergeWorkspaceOption(CommandContext &context, const std::optional<QString> &afterCommand);
// context.workspace, or the default workspace path when none was given.
QString workspacePathOf(const CommandContext &context);

// Removes "--workspace FILE" or "--workspace=FILE" from `arguments` and returns the path (merged
// with a global --workspace), or the default path when absent. std::nullopt (after printing why)
// when the option has no value or conflicts with the global one.
std::optional<QString> takeWorkspacePath(CommandContext &context, QStringList &arguments);

// Opens `path`; on failure prints "syncline-cli: <reason>" and returns nullptr.
std::unique_ptr<engine::state::Workspace> openWorkspace(
    CommandContext &context, const QString &path, engine::state::Workspace::OpenMode mode);

// Both steps: takes the option out of `arguments` and opens the workspace.
std::unique_ptr<engine::state::Workspace> openWorkspaceOption(CommandContext &context, QStringList &arguments,
    engine::state::Workspace::OpenMode mode = engine::state::Workspace::OpenMode::CreateIfMissing);

// Removes "--NAME VALUE" or "--NAME=VALUE" from `arguments`. Returns the value, an empty optional when
// the option is absent, and sets `ok` false (after printing why) when it has no value.
std::optional<QString> takeOption(CommandContext &context, QStringList &arguments, const QString &name, bool &ok);

} // namespace syncline::cli
