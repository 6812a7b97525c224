#pragma once
// Moves what versions up to 0.1 kept in their folders (~/.local/share/Syncline/Syncline and
// ~/.config/Syncline/Syncline.conf on Linux) to the current ones, once, when the app or the CLI
// first starts. Never loses data: a workspace (the .syncline file with its -wal and -shm) moves
// only when nothing of that name is in the new folder, and only when no process has it open; it is
// renamed on one filesystem, and across filesystems copied, verified and only then removed.
// Everything else in the old folder (the demo warehouse, demo exports) stays: definitions refer to
// it by path. Thread: the main thread, before any workspace is opened.

#include <QString>
#include <QStringList>

class QSettings;

namespace syncline::engine::state {

struct FolderMigrationReport
{
    QStringList moved; // new paths of the workspaces that moved
    QStringList leftInPlace; // old paths of workspaces that stay (the new folder has one of that name, or it failed)
    bool settingsMoved = false;
    bool retryNextStart = false; // something was in use or failed; the next start tries again
    QStringList messages; // one line each, for the person: what moved where, what stayed and why
};

// The default folders: AppFolders::legacyDataFolder() to AppFolders::dataFolder(), the QSettings of
// organisation and application "Syncline" to QSettings(). Does nothing (and writes nothing) when
// there is nothing old, or when an earlier start already looked.
FolderMigrationReport migrateLegacyFolders();

// The same with explicit folders and settings (tests use it).
FolderMigrationReport migrateFolders(
    const QString &oldDataFolder, const QString &newDataFolder, QSettings &oldSettings, QSettings &newSettings);

// The settings key set once a start has looked at the old folders.
QString folderMigrationDoneKey();

} // namespace syncline::engine::state
