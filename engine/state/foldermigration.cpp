#include "engine/state/foldermigration.h"

#include "engine/core/appfolders.h"
#include "engine/core/error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLockFile>
#include <QSettings>

#include <filesystem>
#include <sqlite3.h>
#include <system_error>

namespace syncline::engine::state {

namespace {

// What SQLite keeps beside a workspace while it is open (or after a crash).
const QStringList kCompanions { QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal") };

Qt::CaseSensitivity fileNameCase()
{
#if defined(Q_OS_WIN) || defined(Q_OS_DARWIN)
    return Qt::CaseInsensitive;
#else
    return Qt::CaseSensitive;
#endif
}

std::filesystem::path nativePath(const QString &path)
{
    return std::filesystem::path(path.toStdU16String());
}

bool anyExists(const QString &path)
{
    if (QFileInfo::exists(path))
        return true;
    for (const QString &suffix : kCompanions) {
        if (QFileInfo::exists(path + suffix))
            return true;
    }
    return false;
}

// Folds the write-ahead log into the workspace file. When no other process has the workspace
// open, closing it removes the -wal and -shm, so the file alone is the whole workspace.
Result<void> settle(const QString &path)
{
    sqlite3 *db = nullptr;
    const QByteArray name = path.toUtf8();
    const int opened = sqlite3_open_v2(name.constData(), &db, SQLITE_OPEN_READWRITE, nullptr);
    if (opened != SQLITE_OK) {
        const QString why = QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(opened));
        sqlite3_close(db);
        return fail(QStringLiteral("workspace.migrate"),
            QStringLiteral("Could not open %1 to move it: %2.").arg(QDir::toNativeSeparators(path), why), true);
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    for (const QString &suffix : kCompanions) {
        if (QFileInfo::exists(path + suffix))
            return fail(QStringLiteral("workspace.migrate"),
                QStringLiteral("%1 is open in another Syncline; it moves on the next start after that one "
                               "closes.")
                    .arg(QDir::toNativeSeparators(path)),
                true);
    }
    return {};
}

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return hash.result();
}

// Renames on one filesystem; across filesystems copies, checks the copy is byte for byte the
// same, and only then removes the original.
Result<void> moveFile(const QString &from, const QString &to)
{
    std::error_code error;
    std::filesystem::rename(nativePath(from), nativePath(to), error);
    if (!error)
        return {};
    const QString part = to + QStringLiteral(".part");
    QFile::remove(part);
    const auto failed = [&](const QString &why) {
        QFile::remove(part);
        return fail(QStringLiteral("workspace.migrate"),
            QStringLiteral("Could not copy %1 to %2 (%3); it stays where it is.")
                .arg(QDir::toNativeSeparators(from), QDir::toNativeSeparators(to), why),
            true);
    };
    if (!QFile::copy(from, part))
        return failed(QStringLiteral("copy failed; is the disk full?"));
    const QByteArray original = digestOf(from);
    if (original.isEmpty() || original != digestOf(part))
        return failed(QStringLiteral("the copy differs from the original"));
    std::filesystem::rename(nativePath(part), nativePath(to), error);
    if (error)
        return failed(QString::fromStdString(error.message()));
    if (!QFile::remove(from))
        return fail(QStringLiteral("workspace.migrate"),
            QStringLiteral("Copied %1 to %2 but could not remove the original; delete it by hand.")
                .arg(QDir::toNativeSeparators(from), QDir::toNativeSeparators(to)));
    return {};
}

QVariant renamedValue(const QVariant &value, const QHash<QString, QString> &renamed, bool &changed)
{
    if (value.typeId() == QMetaType::QString) {
        const auto found = renamed.constFind(value.toString());
        if (found == renamed.constEnd())
            return value;
        changed = true;
        return *found;
    }
    if (value.typeId() == QMetaType::QStringList) {
        QStringList list = value.toStringList();
        for (QString &entry : list) {
            const auto found = renamed.constFind(entry);
            if (found != renamed.constEnd()) {
                entry = *found;
                changed = true;
            }
        }
        return list;
    }
    return value;
}

void moveSettings(QSettings &oldSettings, QSettings &newSettings, FolderMigrationReport &report)
{
    const QStringList oldKeys = oldSettings.allKeys();
    // On a case-insensitive platform the old and new settings may be one and the same.
    if (oldKeys.isEmpty() || QString::compare(oldSettings.fileName(), newSettings.fileName(), fileNameCase()) == 0)
        return;
    QStringList newKeys = newSettings.allKeys();
    newKeys.removeAll(folderMigrationDoneKey());
    if (!newKeys.isEmpty()) {
        report.messages << QStringLiteral("Kept the settings in %1; the older ones in %2 were left as they are.")
                               .arg(QDir::toNativeSeparators(newSettings.fileName()),
                                   QDir::toNativeSeparators(oldSettings.fileName()));
        return;
    }
    for (const QString &key : oldKeys)
        newSettings.setValue(key, oldSettings.value(key));
    newSettings.sync();
    if (newSettings.status() != QSettings::NoError) {
        report.retryNextStart = true;
        report.messages << QStringLiteral("Could not write the settings to %1; the old ones stay in %2.")
                               .arg(QDir::toNativeSeparators(newSettings.fileName()),
                                   QDir::toNativeSeparators(oldSettings.fileName()));
        return;
    }
    const QString oldFile = oldSettings.fileName();
    oldSettings.clear();
    oldSettings.sync();
    if (QFileInfo(oldFile).isFile()) {
        QFile::remove(oldFile);
        QDir().rmdir(QFileInfo(oldFile).absolutePath()); // only when empty
    }
    report.settingsMoved = true;
    report.messages << QStringLiteral("Moved the settings from %1 to %2.")
                           .arg(QDir::toNativeSeparators(oldFile), QDir::toNativeSeparators(newSettings.fileName()));
}

} // namespace

QString folderMigrationDoneKey()
{
    return QStringLiteral("folders/legacyFoldersChecked");
}

FolderMigrationReport migrateFolders(
    const QString &oldDataFolder, const QString &newDataFolder, QSettings &oldSettings, QSettings &newSettings)
{
    FolderMigrationReport report;
    if (!QDir().mkpath(newDataFolder)) {
        report.retryNextStart = true;
        report.messages
            << QStringLiteral("Could not create %1; nothing was moved.").arg(QDir::toNativeSeparators(newDataFolder));
        return report;
    }
    // The app and a scheduled syncline-cli may start at the same moment: one of them moves.
    QLockFile lock(newDataFolder + QStringLiteral("/.folder-migration.lock"));
    if (!lock.tryLock(30000)) {
        report.retryNextStart = true;
        return report;
    }
    newSettings.sync();
    if (newSettings.value(folderMigrationDoneKey()).toBool())
        return report;

    QHash<QString, QString> renamed;
    const QDir oldDir(oldDataFolder);
    const QStringList workspaces
        = oldDir.exists() ? oldDir.entryList({ QStringLiteral("*.syncline") }, QDir::Files, QDir::Name) : QStringList();
    for (const QString &name : workspaces) {
        const QString from = oldDir.filePath(name);
        const QString to = QDir(newDataFolder).filePath(name);
        if (anyExists(to)) {
            report.leftInPlace << from;
            report.messages << QStringLiteral("Left %1 where it is: %2 exists already. Open it with File > Open "
                                              "Workspace, or --workspace in syncline-cli.")
                                   .arg(QDir::toNativeSeparators(from), QDir::toNativeSeparators(to));
            continue;
        }
        auto moved = settle(from);
        if (moved)
            moved = moveFile(from, to);
        if (!moved) {
            report.leftInPlace << from;
            report.retryNextStart = report.retryNextStart || moved.error().retryable;
            report.messages << moved.error().message;
            continue;
        }
        renamed.insert(from, to);
        report.moved << to;
        report.messages << QStringLiteral("Moved the workspace %1 to %2.")
                               .arg(QDir::toNativeSeparators(from), QDir::toNativeSeparators(to));
    }

    moveSettings(oldSettings, newSettings, report);
    // Recent-file lists and any other setting naming a moved workspace now name where it went.
    for (const QString &key : newSettings.allKeys()) {
        bool changed = false;
        const QVariant value = renamedValue(newSettings.value(key), renamed, changed);
        if (changed)
            newSettings.setValue(key, value);
    }

    if (oldDir.exists()) {
        if (oldDir.isEmpty()) {
            QDir().rmdir(oldDataFolder);
            QDir().rmdir(QFileInfo(oldDataFolder).absolutePath()); // the organisation folder, when empty
        } else if (!report.moved.isEmpty()) {
            report.messages << QStringLiteral("The other files in %1 (such as the demo warehouse and its exports) "
                                              "stay there: the workspace refers to them by path.")
                                   .arg(QDir::toNativeSeparators(oldDataFolder));
        }
    }
    if (!report.retryNextStart)
        newSettings.setValue(folderMigrationDoneKey(), true);
    newSettings.sync();
    return report;
}

FolderMigrationReport migrateLegacyFolders()
{
    QSettings newSettings;
    if (newSettings.value(folderMigrationDoneKey()).toBool())
        return {};
    const QString oldDataFolder = AppFolders::legacyDataFolder();
    QSettings oldSettings(AppFolders::legacyName(), AppFolders::legacyName());
    if (!QFileInfo::exists(oldDataFolder) && oldSettings.allKeys().isEmpty())
        return {};
    return migrateFolders(oldDataFolder, AppFolders::dataFolder(), oldSettings, newSettings);
}

} // namespace syncline::engine::state
