#include "engine/demo/demowarehouse.h"

#include "engine/core/appfolders.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <sqlite3.h>

#include <cstdio>

namespace syncline::engine::demo {

namespace {

const QString kRecipeResource = QStringLiteral(":/syncline/demo/demo_warehouse.sql");
const QString kFileName = QStringLiteral("demo-warehouse.sqlite");

Result<QByteArray> readRecipe()
{
    QFile recipe(kRecipeResource);
    if (!recipe.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("demo.recipe_missing"),
                    QStringLiteral("The demo warehouse recipe is missing from this build (%1).").arg(kRecipeResource));
    return recipe.readAll();
}

int versionOfRecipe(const QByteArray &recipe)
{
    static const QRegularExpression pattern(QStringLiteral("PRAGMA\\s+user_version\\s*=\\s*(\\d+)"));
    const auto match = pattern.match(QString::fromUtf8(recipe));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

int versionOfFile(const QString &path)
{
    sqlite3 *db = nullptr;
    int version = -1;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *statement = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) == SQLITE_OK
            && sqlite3_step(statement) == SQLITE_ROW)
            version = sqlite3_column_int(statement, 0);
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return version;
}

Result<void> runRecipe(const QString &path, const QByteArray &recipe)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr)
        != SQLITE_OK) {
        const QString reason = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("Could not create the demo warehouse at %1: %2").arg(path, reason));
    }
    char *message = nullptr;
    const QByteArray script = "BEGIN;\n" + recipe + "\nCOMMIT;";
    const int rc = sqlite3_exec(db, script.constData(), nullptr, nullptr, &message);
    const QString reason = message ? QString::fromUtf8(message) : QString();
    sqlite3_free(message);
    sqlite3_close(db);
    if (rc != SQLITE_OK)
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("The demo warehouse recipe failed at %1: %2").arg(path, reason));
    return {};
}

} // namespace

int demoWarehouseVersion()
{
    const auto recipe = readRecipe();
    return recipe ? versionOfRecipe(*recipe) : 0;
}

Result<QString> ensureDemoWarehouse(const QString &folder)
{
    QString dir = folder;
    if (dir.isEmpty())
        dir = qEnvironmentVariable("SYNCLINE_DEMO_DIR");
    if (dir.isEmpty())
        dir = AppFolders::dataFolder() + QStringLiteral("/demo");
    if (dir.contains(QLatin1Char(';')))
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("The demo warehouse cannot live in %1: the SQLite ODBC driver cannot open a path "
                                   "containing ';'. Set SYNCLINE_DEMO_DIR to another folder.")
                        .arg(dir));
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("Could not create the folder %1 for the demo warehouse; check its permissions.")
                        .arg(dir));

    const auto recipe = readRecipe();
    if (!recipe)
        return std::unexpected(recipe.error());
    const QString path = QDir(dir).absoluteFilePath(kFileName);
    if (QFileInfo::exists(path) && versionOfFile(path) == versionOfRecipe(*recipe))
        return path;

    // Build beside the target and rename over it, so a reader never sees half a warehouse.
    const QString temporary = path + QStringLiteral(".%1.tmp").arg(QCoreApplication::applicationPid());
    QFile::remove(temporary);
    if (auto built = runRecipe(temporary, *recipe); !built) {
        QFile::remove(temporary);
        return std::unexpected(built.error());
    }
    if (::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) != 0) {
        QFile::remove(temporary);
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("Could not move the new demo warehouse into place at %1.").arg(path));
    }
    return path;
}

QString demoConnectionString(const QString &databasePath)
{
    // The SQLite3 ODBC driver takes Database= verbatim (it does not strip {braces}), so a path
    // with ';' cannot be expressed; ensureDemoWarehouse refuses such folders up front.
    // The driver's name as its installer registers it: Debian's odbcinst.ini and the one
    // installers/README.md asks macOS users to use say "SQLite3", the Windows installer does not.
#ifdef Q_OS_WIN
    return QStringLiteral("Driver={SQLite3 ODBC Driver};Database=%1").arg(QDir::toNativeSeparators(databasePath));
#else
    return QStringLiteral("Driver={SQLite3};Database=%1").arg(QDir::toNativeSeparators(databasePath));
#endif
}

} // namespace syncline::engine::demo
