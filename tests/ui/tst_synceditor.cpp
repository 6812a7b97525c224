// The sync editor as a user meets it: pick a model, a destination and an object from the
// destination's discovery, see the object's identifier fields offered first for the match key,
// and save. A refused save reads exactly as the YAML import's message for the same definition.

#include "engine/definitions/validation.h"
#include "engine/schedule/schedule.h"
#include "engine/state/definitionstore.h"
#include "connectors/builtinconnectors.h"
#include "ui/destinations/objectpicker.h"
#include "ui/services/workspaceservice.h"
#include "ui/shell/demoworkspace.h"
#include "ui/syncs/modelsample.h"
#include "ui/syncs/synceditor.h"
#include "uitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline;
using namespace syncline::ui;
using engine::SyncDef;

class TestSyncEditor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    WorkspaceService *m_workspace = nullptr;
    std::shared_ptr<testing::MemorySecrets> m_secrets = std::make_shared<testing::MemorySecrets>();
    std::shared_ptr<engine::connector::ConnectorRegistry> m_registry = std::make_shared<engine::connector::ConnectorRegistry>();

    std::unique_ptr<SyncEditor> newEditor()
    {
        auto editor = std::make_unique<SyncEditor>(m_workspace, ConnectorAccess{m_registry, m_secrets}, SchedulerServices{});
        editor->show();
        editor->newSync();
        return editor;
    }

    template <typename T, typename Work>
    T onWorkspace(Work work)
    {
        std::optional<T> result;
        m_workspace->call<T>(this, work, [&](T value) { result = std::move(value); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            qFatal("the workspace did not answer");
        return *result;
    }

    static void choose(QComboBox *combo, const QString &text)
    {
        const int index = combo->findText(text);
        QVERIFY2(index >= 0, qPrintable(text));
        combo->setCurrentIndex(index);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        connectors::registerBuiltinConnectors(*m_registry);
        qputenv("SYNCLINE_DEMO_DIR", m_dir.filePath(QStringLiteral("demo")).toUtf8());
        const QString path = m_dir.filePath(QStringLiteral("syncs.syncline"));
        QVERIFY(createDemoWorkspace(path));
        // A SQLite "CRM": its contacts table has one unique column, email.
        const QString crm = m_dir.filePath(QStringLiteral("crm.db"));
        auto connection = engine::warehouse::OdbcConnection::open(engine::warehouse::ConnectionSpec{testing::sqliteConnection(crm)});
        QVERIFY(connection);
        QVERIFY((*connection)->executeUpdate(QStringLiteral("create table contacts (full_name text, plan text, email text not null unique)")));
        QVERIFY((*connection)->executeUpdate(QStringLiteral("create table invoices (number integer primary key, total real)")));
        m_workspace = new WorkspaceService(this);
        QSignalSpy opened(m_workspace, &WorkspaceService::opened);
        m_workspace->open(path);
        QVERIFY(opened.wait(10000));
        engine::DestinationDef destination;
        destination.name = QStringLiteral("crm");
        destination.type = QStringLiteral("sqlite");
        destination.settings.insert(QStringLiteral("connection"), testing::sqliteConnection(crm));
        QVERIFY(onWorkspace<engine::Result<void>>(
            [destination](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).saveDestination(destination); }));
    }

    void objectsComeFromDiscoveryAndIdentifiersComeFirst()
    {
        testing::StallWatchdog watchdog;
        auto editor = newEditor();
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isBusy() && editor->destinationCombo()->findText(QStringLiteral("crm")) >= 0, 10000);
        choose(editor->modelCombo(), QStringLiteral("customers"));
        choose(editor->destinationCombo(), QStringLiteral("crm"));
        QComboBox *objects = editor->objectPicker()->combo();
        QTRY_COMPARE_WITH_TIMEOUT(objects->count(), 2, 10000);
        QStringList names;
        for (int i = 0; i < objects->count(); ++i)
            names << objects->itemData(i).toString();
        QCOMPARE(names, QStringList({QStringLiteral("contacts"), QStringLiteral("invoices")}));

        QSignalSpy described(editor.get(), &SyncEditor::objectSpecChanged);
        objects->setCurrentIndex(0);
        emit objects->activated(0);
        QVERIFY(described.wait(10000));
        QComboBox *fields = editor->matchFieldCombo();
        QCOMPARE(fields->itemData(0).toString(), QStringLiteral("email"));
        QCOMPARE(fields->itemText(0), QStringLiteral("email (identifier)"));
        QCOMPARE(fields->count(), 3);

        // The model's key first, then the columns its first rows show.
        QTRY_VERIFY_WITH_TIMEOUT(!editor->modelSample()->isRunning() && !editor->modelSample()->columns().empty(), 10000);
        QCOMPARE(editor->matchColumnCombo()->itemText(0), QStringLiteral("id"));
        QVERIFY(editor->matchColumnCombo()->findText(QStringLiteral("email")) > 0);
        QVERIFY(!editor->modelSample()->rows().isEmpty());
        QVERIFY2(watchdog.longestStallMs() < 100, qPrintable(QString::number(watchdog.longestStallMs())));
    }

    void aRefusedSaveSaysWhatTheImportSays()
    {
        auto editor = newEditor();
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isBusy() && editor->modelCombo()->count() > 0, 10000);
        // No name.
        QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!editor->message().isEmpty(), 10000);
        QVERIFY(editor->messageIsProblem());
        QCOMPARE(editor->message(), engine::validateSync(editor->sync()).error().message);

        // A match column without a field.
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("half-a-key"));
        editor->matchColumnCombo()->setEditText(QStringLiteral("id"));
        editor->matchFieldCombo()->setEditText(QString());
        const SyncDef def = editor->sync();
        QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(editor->message(), engine::validateSync(def).error().message, 10000);
        QVERIFY(editor->message().contains(QStringLiteral("needs both a column and a field")));

        // A schedule the engine cannot read.
        editor->matchFieldCombo()->setEditText(QStringLiteral("customer_id"));
        editor->scheduleEdit()->setText(QStringLiteral("every blue moon"));
        QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
        QVERIFY(editor->message().contains(engine::schedule::Schedule::parse(QStringLiteral("every blue moon")).error().message));
        const auto stored = onWorkspace<engine::Result<std::optional<SyncDef>>>(
            [](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).sync(QStringLiteral("half-a-key")); });
        QVERIFY(stored && !stored->has_value()); // nothing was saved
    }

    void aValidSyncIsSavedAsShownAndReopens()
    {
        auto editor = newEditor();
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isBusy() && editor->destinationCombo()->findText(QStringLiteral("crm")) >= 0, 10000);
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("customers-to-crm"));
        choose(editor->modelCombo(), QStringLiteral("customers"));
        choose(editor->destinationCombo(), QStringLiteral("crm"));
        editor->objectPicker()->setObject(QStringLiteral("contacts"));
        QTRY_VERIFY_WITH_TIMEOUT(editor->objectSpec().has_value(), 10000);
        editor->matchColumnCombo()->setEditText(QStringLiteral("email"));
        editor->matchFieldCombo()->setCurrentIndex(0); // email (identifier)
        choose(editor->modeCombo(), QStringLiteral("Mirror: add, update, and delete what left the model"));
        editor->removedCombo()->setCurrentIndex(editor->removedCombo()->findData(QStringLiteral("clear")));
        editor->maxRemovedSpin()->setValue(10);
        editor->stopOnEmptyBox()->setChecked(false);
        editor->scheduleEdit()->setText(QStringLiteral("every 15m"));
        editor->setMapping({engine::MappingEntry::fromColumn(QStringLiteral("plan"), QStringLiteral("plan"))});
        QSignalSpy saved(editor.get(), &SyncEditor::saved);
        QTest::mouseClick(editor->saveButton(), Qt::LeftButton);
        QVERIFY2(saved.wait(10000), qPrintable(editor->message()));

        const auto stored = onWorkspace<engine::Result<std::optional<SyncDef>>>(
            [](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).sync(QStringLiteral("customers-to-crm")); });
        QVERIFY(stored && stored->has_value());
        const SyncDef &sync = **stored;
        QCOMPARE(sync.model, QStringLiteral("customers"));
        QCOMPARE(sync.destination, QStringLiteral("crm"));
        QCOMPARE(sync.object, QStringLiteral("contacts"));
        QCOMPARE(sync.mode, engine::SyncMode::Mirror);
        QCOMPARE(sync.onRemoved, std::optional(engine::RemovedRowAction::Clear));
        QCOMPARE(sync.matchColumn, QStringLiteral("email"));
        QCOMPARE(sync.matchField, QStringLiteral("email"));
        QCOMPARE(sync.guardrails.maxRemovedShare, 0.10);
        QCOMPARE(sync.guardrails.stopOnEmptyModel, false);
        QCOMPARE(sync.schedule, engine::schedule::Schedule::parse(QStringLiteral("every 15m"))->text());
        // The match key is the first connection; the engine fills it, so the mapping lists the rest.
        QCOMPARE(sync.mapping, std::vector({engine::MappingEntry::fromColumn(QStringLiteral("plan"), QStringLiteral("plan"))}));

        auto reopened = newEditor();
        reopened->openSync(QStringLiteral("customers-to-crm"));
        QTRY_COMPARE_WITH_TIMEOUT(reopened->nameEdit()->text(), QStringLiteral("customers-to-crm"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!reopened->isBusy(), 10000);
        QVERIFY(reopened->nameEdit()->isReadOnly());
        QCOMPARE(reopened->sync(), sync);
    }
};

QTEST_MAIN(TestSyncEditor)
#include "tst_synceditor.moc"
