#pragma once
// Where Syncline keeps its files, one answer for the app and the CLI: the names QSettings and
// QStandardPaths use (organisation and application "syncline"), the data folder
// (~/.local/share/syncline on Linux) and the data folder versions up to 0.1 used. Settings are
// QSettings() once setIdentity() ran: ~/.config/syncline/syncline.conf on Linux.
// Thread: setIdentity from main() before anything else; the rest from any thread.

#include <QString>

namespace syncline::engine {

struct AppFolders
{
    // Sets QCoreApplication's organisation and application names.
    static void setIdentity();
    // <GenericDataLocation>/<application name>: ~/.local/share/syncline on Linux,
    // ~/Library/Application Support/syncline on macOS, %LOCALAPPDATA%\syncline on Windows.
    static QString dataFolder();
    // Where versions up to 0.1 kept workspaces (organisation and application both "Syncline"):
    // ~/.local/share/Syncline/Syncline on Linux.
    static QString legacyDataFolder();
    // The QSettings organisation and application of versions up to 0.1.
    static QString legacyName() { return QStringLiteral("Syncline"); }
};

} // namespace syncline::engine
