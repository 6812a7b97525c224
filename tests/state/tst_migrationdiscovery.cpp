// A module adds a migration by embedding NNNN_name.sql under :/syncline/migrations in its own .qrc;
// the workspace finds it without a hard-coded list and applies it in version order.
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine::state;

class TestMigrationDiscovery : public QObject
{
    Q_OBJECT

private slots:
    void migrationFromAnotherResourceFileIsAppliedInOrder()
    {
        const auto migrations = Workspace::embeddedMigrations();
        QVERIFY(migrations);
        QCOMPARE(migrations->back().name, QStringLiteral("0900_discovery_probe.sql"));
        QCOMPARE(migrations->front().name, QStringLiteral("0001_definitions.sql"));

        QTemporaryDir dir;
        auto workspace = Workspace::open(dir.filePath(QStringLiteral("probe.syncline")));
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE((*workspace)->schemaVersion(), 900);
        auto note
            = SqliteStatement::prepare((*workspace)->handle(), QStringLiteral("SELECT note FROM discovery_probe"));
        QVERIFY(note);
        QVERIFY(*note->step());
        QCOMPARE(note->text(0), QStringLiteral("applied after 4 definition tables"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationDiscovery)
#include "tst_migrationdiscovery.moc"
