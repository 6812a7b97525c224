#include "engine/core/appfolders.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace syncline::engine {

void AppFolders::setIdentity()
{
    // Lowercase, as XDG folders are; the window title and desktop entry say "Syncline".
    QCoreApplication::setOrganizationName(QStringLiteral("syncline"));
    QCoreApplication::setApplicationName(QStringLiteral("syncline"));
}

QString AppFolders::dataFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1Char('/')
        + QCoreApplication::applicationName();
}

QString AppFolders::legacyDataFolder()
{
    // AppDataLocation is <base>/<organisation>/<application> on every platform (the base is
    // ~/.local/share, ~/Library/Application Support or the roaming AppData); the old names
    // replace the current ones there.
    const QString current = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir::cleanPath(current + QStringLiteral("/../../") + legacyName() + QLatin1Char('/') + legacyName());
}

} // namespace syncline::engine
