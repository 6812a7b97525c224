// The demo workspace: one call gives a new user a source, a model, a destination and a sync,
// and calling it again never undoes what the user changed.

#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;

class DemoWorkspaceTest : public QObject
{
    Q_OBJECT

private slots:
    void installsASourceModelDestinationAndSync()
    {
        QTemporaryDir dir;
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("demo.syncline")));
        QVERIFY(workspace.has_value());
        state::DefinitionStore store(**workspace);
        const auto installed = demo::installDemoDefinitions(store, dir.filePath(QStringLiteral("exports")), dir.path());
        QVERIFY2(installed.has_value(), qPrintable(installed ? QString() : installed.error().message));

        const auto source = store.source(demo::DemoNames::source());
        QVERIFY(source.has_value() && source->has_value());
        QVERIFY((*source)->connection.contains(QStringLiteral("SQLite3")));
        const auto model = store.model(demo::DemoNames::model());
        QVERIFY(model.has_value() && model->has_value());
        QCOMPARE((*model)->primaryKey, QStringList{QStringLiteral("id")});
        const auto sync = store.sync(demo::DemoNames::sync());
        QVERIFY(sync.has_value() && sync->has_value());
        QCOMPARE((*sync)->destination, demo::DemoNames::destination());
        QVERIFY(QDir(dir.filePath(QStringLiteral("exports"))).exists());
    }

    void installingAgainKeepsTheUsersChanges()
    {
        QTemporaryDir dir;
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("demo.syncline")));
        QVERIFY(workspace.has_value());
        state::DefinitionStore store(**workspace);
        QVERIFY(demo::installDemoDefinitions(store, dir.filePath(QStringLiteral("exports")), dir.path()).has_value());

        auto model = store.model(demo::DemoNames::model());
        QVERIFY(model.has_value() && model->has_value());
        ModelDef changed = **model;
        changed.sql = QStringLiteral("select id, email from customers where plan = 'pro'");
        QVERIFY(store.saveModel(changed).has_value());

        QVERIFY(demo::installDemoDefinitions(store, dir.filePath(QStringLiteral("exports")), dir.path()).has_value());
        const auto after = store.model(demo::DemoNames::model());
        QVERIFY(after.has_value() && after->has_value());
        QCOMPARE((*after)->sql, changed.sql);
        QCOMPARE((*workspace)->integrityCheck().value(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(DemoWorkspaceTest)
#include "tst_demoworkspace.moc"
