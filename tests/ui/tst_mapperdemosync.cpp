// The shipped demo sync opened in the visual mapper, with everything real: the demo warehouse's
// customers model previewed over ODBC, the file destination's own object, and the sync as the
// workspace stores it. The user sees every mapped field connected, the template rendered from
// the sample rows, nothing blocking a run, and a save without edits (or after an undone edit)
// writes back exactly the stored definition.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "ui/models/previewpanel.h"
#include "ui/models/resultmodel.h"
#include "ui/shell/demoworkspace.h"
#include "ui/sources/sourceconnection.h"
#include "ui/syncs/mappercanvas.h"
#include "ui/syncs/mapperwidget.h"
#include "ui/syncs/mappingdocument.h"

#include <QAction>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include "uitestsupport.h"

using namespace syncline;
using namespace syncline::ui;

class MapperDemoSyncTest : public QObject
{
    Q_OBJECT

private slots:
    void theDemoSyncOpensConnectedAndSavesUnchanged()
    {
        QTemporaryDir dir;
        QStandardPaths::setTestModeEnabled(true);
        qputenv("SYNCLINE_DEMO_DIR", dir.filePath(QStringLiteral("demo")).toUtf8());
        const QString path = dir.filePath(QStringLiteral("mapper.syncline"));
        if (auto created = createDemoWorkspace(path); !created)
            QSKIP(qPrintable(
                QStringLiteral("the demo workspace needs the SQLite3 ODBC driver: ") + created.error().message));
        auto workspace = engine::state::Workspace::open(path, engine::state::Workspace::OpenMode::MustExist);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        engine::state::DefinitionStore store(**workspace);
        const auto sync = store.sync(engine::demo::DemoNames::sync());
        const auto model = store.model(engine::demo::DemoNames::model());
        const auto source = store.source(engine::demo::DemoNames::source());
        const auto destination = store.destination(engine::demo::DemoNames::destination());
        QVERIFY(sync && *sync && model && *model && source && *source && destination && *destination);

        // The destination's object, from the real file connector.
        engine::connector::ConnectorRegistry registry;
        connectors::registerBuiltinConnectors(registry);
        testing::MemorySecrets secrets;
        auto connector = registry.create(**destination, secrets);
        QVERIFY2(connector, qPrintable(connector ? QString() : connector.error().message));
        auto object = (*connector)->object((*sync)->object);
        QVERIFY2(object, qPrintable(object ? QString() : object.error().message));

        // The model's columns and first rows, from the preview the Models page shows.
        PreviewPanel preview;
        preview.run(connectionOpener(connectionSpec((*source)->connection, std::nullopt)), (*model)->sql);
        QTRY_VERIFY_WITH_TIMEOUT(preview.model()->rowCount() >= 3, 20000);

        MapperWidget mapper;
        MappingDocument *document = mapper.document();
        document->setColumnsFromPreview(preview.model(), 3);
        document->setObject(*object);
        document->setPrimaryKey((*model)->primaryKey);
        document->load(**sync);
        mapper.resize(1200, 900);
        mapper.show();
        QVERIFY(QTest::qWaitForWindowExposed(&mapper));

        QVERIFY2(document->canRun(),
            qPrintable(document->warnings().isEmpty() ? QString() : document->warnings().first().message));
        QCOMPARE(document->toSync(**sync), **sync);
        // Every field of the definition is on screen with its line.
        for (const engine::MappingEntry &entry : (*sync)->mapping)
            QVERIFY2(!mapper.canvas()->connectionPath(entry.field).isEmpty(), qPrintable(entry.field));
        QVERIFY(!mapper.canvas()->connectionPath((*sync)->matchField).isEmpty());

        // The full_name template renders from the sample rows' own first and last names.
        const auto columns = document->columns();
        const auto sample = [&](const QString &name, int row) {
            for (const MapperColumn &column : columns) {
                if (column.name == name)
                    return column.samples.value(row);
            }
            return QString();
        };
        for (const engine::MappingEntry &entry : (*sync)->mapping) {
            if (entry.kind != engine::MappingEntry::SourceKind::Template)
                continue;
            QCOMPARE(entry.templateText, QStringLiteral("{{first_name}} {{last_name}}"));
            const QStringList values = document->preview(entry.field).values;
            QCOMPARE(values.size(), 3);
            for (int row = 0; row < 3; ++row)
                QCOMPARE(values[row],
                    QStringLiteral("\"%1 %2\"")
                        .arg(sample(QStringLiteral("first_name"), row), sample(QStringLiteral("last_name"), row)));
        }

        // An edit, undone, leaves the definition exactly as stored.
        mapper.autoMapAction()->trigger();
        mapper.clearAction()->trigger();
        QCOMPARE(document->connectionCount(), 0);
        while (document->undoStack()->canUndo())
            mapper.undoAction()->trigger();
        QCOMPARE(document->toSync(**sync), **sync);
    }
};

QTEST_MAIN(MapperDemoSyncTest)
#include "tst_mapperdemosync.moc"
