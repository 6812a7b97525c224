// Upgrading from a version that kept its files in ~/.local/share/Syncline/Syncline: the first start
// moves the workspace and settings to ~/.local/share/syncline and ~/.config/syncline, the workspace
// opens with everything it had, and nothing is lost when the new folder already has a workspace.
// HOME's folders are pointed at a temporary directory before anything reads them.

#include "app/common/enginebootstrap.h"
#include "engine/core/appfolders.h"
#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/state/foldermigration.h"
#include "engine/state/ledgerstore.h"
#include "engine/sync/syncrunner.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline;
using namespace syncline::engine;

namespace {

QTemporaryDir *g_home = nullptr;

QString homePath(const QString &relative)
{
    return g_home->filePath(relative);
}

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// A workspace as a user of the old version has it: the demo definitions and a ledger from one run.
struct DeliveredWorkspace
{
    qint64 syncId = 0;
    qint64 delivered = 0;
};

std::optional<DeliveredWorkspace> deliverDemo(const QString &workspacePath, const QString &dataFolder)
{
    NullDiagnosticSink sink;
    auto engine = app::EngineBootstrap::open(workspacePath, sink);
    if (!engine)
        return std::nullopt;
    state::DefinitionStore definitions((*engine)->workspace());
    if (!demo::installDemoDefinitions(
            definitions, dataFolder + QStringLiteral("/demo-exports"), dataFolder + QStringLiteral("/demo")))
        return std::nullopt;
    auto result = sync::SyncRunner((*engine)->services()).run(demo::DemoNames::sync());
    if (!result || !result->run || result->run->status != QStringLiteral("succeeded"))
        return std::nullopt;
    state::LedgerStore ledger((*engine)->workspace());
    const auto delivered = ledger.deliveredCount(result->run->syncId);
    if (!delivered)
        return std::nullopt;
    return DeliveredWorkspace { result->run->syncId, *delivered };
}

qint64 definitionCount(const QString &workspacePath)
{
    auto workspace = state::Workspace::open(workspacePath, state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return -1;
    state::DefinitionStore store(**workspace);
    const auto sources = store.sources();
    const auto syncs = store.syncs();
    return sources && syncs ? qint64(sources->size() + syncs->size()) : -1;
}

} // namespace

class TestFolderMigration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        AppFolders::setIdentity();
        // Where a user finds things on Linux, with HOME's folders in the temporary directory.
        QCOMPARE(AppFolders::dataFolder(), homePath(QStringLiteral("data/syncline")));
        QCOMPARE(AppFolders::legacyDataFolder(), homePath(QStringLiteral("data/Syncline/Syncline")));
        QCOMPARE(QSettings().fileName(), homePath(QStringLiteral("config/syncline/syncline.conf")));
    }

    void upgradedWorkspaceOpensWithItsDefinitionsAndLedger()
    {
        const QString oldFolder = AppFolders::legacyDataFolder();
        const QString oldPath = oldFolder + QStringLiteral("/default.syncline");
        const auto before = deliverDemo(oldPath, oldFolder);
        QVERIFY2(before, "the demo sync should run in the old folder (is the SQLite3 ODBC driver installed?)");
        QVERIFY(before->delivered > 1000);
        const qint64 definitionsBefore = definitionCount(oldPath);
        QVERIFY(definitionsBefore >= 2);
        {
            QSettings old(AppFolders::legacyName(), AppFolders::legacyName());
            QCOMPARE(old.fileName(), homePath(QStringLiteral("config/Syncline/Syncline.conf")));
            old.setValue(
                QStringLiteral("workspaces/recent"), QStringList { oldPath, QStringLiteral("/projects/crm.syncline") });
            old.setValue(QStringLiteral("sql/fontSize"), 13);
        }

        const auto report = state::migrateLegacyFolders();
        const QString newPath = AppFolders::dataFolder() + QStringLiteral("/default.syncline");
        QCOMPARE(report.moved, QStringList { newPath });
        QVERIFY(report.settingsMoved);
        QVERIFY(!report.retryNextStart);
        QVERIFY(!QFileInfo::exists(oldPath));
        QVERIFY(!QFileInfo::exists(oldPath + QStringLiteral("-wal")));
        QVERIFY(!QFileInfo::exists(homePath(QStringLiteral("config/Syncline/Syncline.conf"))));
        QVERIFY(report.messages.join(QLatin1Char('\n')).contains(newPath));

        // The recent-files list points where the workspace went; other settings came along.
        QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("workspaces/recent")).toStringList(),
            (QStringList { newPath, QStringLiteral("/projects/crm.syncline") }));
        QCOMPARE(settings.value(QStringLiteral("sql/fontSize")).toInt(), 13);

        // It opens with everything, and the next run sends nothing: the ledger came along.
        QCOMPARE(definitionCount(newPath), definitionsBefore);
        NullDiagnosticSink sink;
        auto engine = app::EngineBootstrap::open(QString(), sink, state::Workspace::OpenMode::MustExist);
        QVERIFY2(engine, engine ? "" : qPrintable(engine.error().message));
        QCOMPARE((*engine)->workspace().path(), newPath);
        QCOMPARE(state::LedgerStore((*engine)->workspace()).deliveredCount(before->syncId).value(), before->delivered);
        auto again = sync::SyncRunner((*engine)->services()).run(demo::DemoNames::sync());
        QVERIFY2(again, again ? "" : qPrintable(again.error().message));
        QCOMPARE(again->plan.counts.added, 0);
        QCOMPARE(again->plan.counts.changed, 0);
        QCOMPARE(again->plan.counts.unchanged, before->delivered);

        // Once only: the next start finds nothing to do and says nothing.
        QVERIFY(state::migrateLegacyFolders().messages.isEmpty());
    }

    void cliMovesTheOldWorkspaceOnItsFirstStartAndSaysSo()
    {
        // Another home, as a user upgrading syncline-cli has it.
        QTemporaryDir home;
        const QString oldFolder = home.filePath(QStringLiteral("data/Syncline/Syncline"));
        const auto before = deliverDemo(oldFolder + QStringLiteral("/default.syncline"), oldFolder);
        QVERIFY(before);
        QProcess cli;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        cli.setProcessEnvironment(environment);
        cli.start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"),
            { QStringLiteral("plan"), demo::DemoNames::sync(), QStringLiteral("--json") });
        QVERIFY(cli.waitForFinished(120000));
        const QString said = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == 0, qPrintable(said));
        const QString newPath = home.filePath(QStringLiteral("data/syncline/default.syncline"));
        QVERIFY2(said.contains(QStringLiteral("Moved the workspace")) && said.contains(newPath), qPrintable(said));
        QVERIFY(QFileInfo::exists(newPath));
        // The plan was made on the moved workspace: its ledger knows every delivered row.
        const QJsonObject plan = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(plan.value(QStringLiteral("added")).toInteger(), 0);
        QCOMPARE(plan.value(QStringLiteral("unchanged")).toInteger(), before->delivered);
    }

    void workspaceInTheNewFolderIsKeptAndTheOldOneLeftAlone()
    {
        QTemporaryDir dir;
        const QString oldFolder = dir.filePath(QStringLiteral("old"));
        const QString newFolder = dir.filePath(QStringLiteral("new"));
        QVERIFY(deliverDemo(oldFolder + QStringLiteral("/default.syncline"), oldFolder));
        {
            auto fresh = state::Workspace::open(newFolder + QStringLiteral("/default.syncline"));
            QVERIFY(fresh);
        }
        const QByteArray oldBytes = digestOf(oldFolder + QStringLiteral("/default.syncline"));
        const QByteArray newBytes = digestOf(newFolder + QStringLiteral("/default.syncline"));
        QSettings oldSettings(dir.filePath(QStringLiteral("old.conf")), QSettings::IniFormat);
        oldSettings.setValue(
            QStringLiteral("workspaces/recent"), QStringList { oldFolder + QStringLiteral("/default.syncline") });
        QSettings newSettings(dir.filePath(QStringLiteral("new.conf")), QSettings::IniFormat);
        newSettings.setValue(
            QStringLiteral("workspaces/recent"), QStringList { newFolder + QStringLiteral("/default.syncline") });

        const auto report = state::migrateFolders(oldFolder, newFolder, oldSettings, newSettings);
        QVERIFY(report.moved.isEmpty());
        QCOMPARE(report.leftInPlace, QStringList { oldFolder + QStringLiteral("/default.syncline") });
        QVERIFY(!report.settingsMoved);
        const QString said = report.messages.join(QLatin1Char('\n'));
        QVERIFY2(said.contains(QStringLiteral("Left ")) && said.contains(oldFolder), qPrintable(said));
        // Both workspaces are as they were, the old one still with its definitions, and both settings files.
        QCOMPARE(digestOf(newFolder + QStringLiteral("/default.syncline")), newBytes);
        QCOMPARE(digestOf(oldFolder + QStringLiteral("/default.syncline")), oldBytes);
        QVERIFY(definitionCount(oldFolder + QStringLiteral("/default.syncline")) >= 2);
        QCOMPARE(definitionCount(newFolder + QStringLiteral("/default.syncline")), 0);
        QCOMPARE(oldSettings.value(QStringLiteral("workspaces/recent")).toStringList().value(0),
            oldFolder + QStringLiteral("/default.syncline"));
        QCOMPARE(newSettings.value(QStringLiteral("workspaces/recent")).toStringList().value(0),
            newFolder + QStringLiteral("/default.syncline"));
        // Said once: the next start leaves it be without saying it again.
        QVERIFY(state::migrateFolders(oldFolder, newFolder, oldSettings, newSettings).messages.isEmpty());
    }

    void workspaceOpenInAnotherProcessMovesOnTheNextStart()
    {
        QTemporaryDir dir;
        const QString oldFolder = dir.filePath(QStringLiteral("old"));
        const QString newFolder = dir.filePath(QStringLiteral("new"));
        const QString oldPath = oldFolder + QStringLiteral("/ops.syncline");
        QVERIFY(deliverDemo(oldPath, oldFolder));
        QSettings oldSettings(dir.filePath(QStringLiteral("old.conf")), QSettings::IniFormat);
        QSettings newSettings(dir.filePath(QStringLiteral("new.conf")), QSettings::IniFormat);
        {
            auto open = state::Workspace::open(oldPath, state::Workspace::OpenMode::MustExist);
            QVERIFY(open);
            const auto report = state::migrateFolders(oldFolder, newFolder, oldSettings, newSettings);
            QCOMPARE(report.leftInPlace, QStringList { oldPath });
            QVERIFY(report.retryNextStart);
            QVERIFY(QFileInfo::exists(oldPath));
            QVERIFY(!QFileInfo::exists(newFolder + QStringLiteral("/ops.syncline")));
        }
        const auto report = state::migrateFolders(oldFolder, newFolder, oldSettings, newSettings);
        QCOMPARE(report.moved, QStringList { newFolder + QStringLiteral("/ops.syncline") });
        QVERIFY(definitionCount(newFolder + QStringLiteral("/ops.syncline")) >= 2);
    }

    void workspaceOnAnotherFilesystemIsCopiedVerifiedThenRemoved()
    {
        QTemporaryDir shm(QStringLiteral("/dev/shm/syncline-migration-XXXXXX"));
        QTemporaryDir dir;
        if (!shm.isValid() || QStorageInfo(shm.path()).device() == QStorageInfo(dir.path()).device())
            QSKIP("needs /dev/shm on a filesystem other than the temporary folder's");
        const QString oldPath = shm.filePath(QStringLiteral("default.syncline"));
        QVERIFY(deliverDemo(oldPath, shm.path()));
        const qint64 definitions = definitionCount(oldPath);
        QSettings oldSettings(dir.filePath(QStringLiteral("old.conf")), QSettings::IniFormat);
        QSettings newSettings(dir.filePath(QStringLiteral("new.conf")), QSettings::IniFormat);
        const QString newFolder = dir.filePath(QStringLiteral("new"));
        const auto report = state::migrateFolders(shm.path(), newFolder, oldSettings, newSettings);
        QCOMPARE(report.moved, QStringList { newFolder + QStringLiteral("/default.syncline") });
        QVERIFY(!QFileInfo::exists(oldPath));
        QVERIFY(!QFileInfo::exists(newFolder + QStringLiteral("/default.syncline.part")));
        QCOMPARE(definitionCount(newFolder + QStringLiteral("/default.syncline")), definitions);
    }
};

int main(int argc, char *argv[])
{
    // Before QSettings or QStandardPaths cache a path: HOME's folders live in a temporary directory.
    QTemporaryDir home;
    g_home = &home;
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", home.filePath(QStringLiteral("cache")).toUtf8());
    qunsetenv("SYNCLINE_WORKSPACE");
    qunsetenv("SYNCLINE_DEMO_DIR");
    QCoreApplication app(argc, argv);
    TestFolderMigration test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_foldermigration.moc"
