// The mapper's document without widgets: every kind of edit undoes and redoes to exactly what
// the user saw, auto-map pairs names as a person would (and never twice), the preview of the
// first rows is what the engine sends, the produced definition is what the sync YAML holds,
// and the warnings name what blocks a run.

#include "engine/mapping/mapper.h"
#include "engine/warehouse/rowbatchbuilder.h"
#include "ui/syncs/automapper.h"
#include "ui/syncs/mapperdemo.h"
#include "ui/syncs/mappingdocument.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace syncline;
using namespace syncline::ui;
using engine::MappingEntry;
using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::warehouse::ColumnKind;
using engine::warehouse::RowBatchBuilder;

namespace {

FieldSpec spec(const QString &name, FieldType type = FieldType::Text, bool required = false, bool identifier = false,
    bool readOnly = false)
{
    FieldSpec field;
    field.name = name;
    field.type = type;
    field.required = required;
    field.identifier = identifier;
    field.readOnly = readOnly;
    return field;
}

// customers(id integer, email, first_name, last_name, lifetime_value decimal) -> contacts.
std::unique_ptr<MappingDocument> customersToContacts()
{
    engine::connector::ObjectSpec contacts;
    contacts.name = QStringLiteral("contacts");
    contacts.fields = { spec(QStringLiteral("email_address"), FieldType::Text, true, true),
        spec(QStringLiteral("external_id"), FieldType::Text, false, true), spec(QStringLiteral("given_name")),
        spec(QStringLiteral("family_name")), spec(QStringLiteral("full_name")),
        spec(QStringLiteral("ltv"), FieldType::Number), spec(QStringLiteral("stage")),
        spec(QStringLiteral("record_id"), FieldType::Text, false, false, true) };
    auto document = std::make_unique<MappingDocument>(
        std::vector {
            RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("first_name"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("last_name"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("lifetime_value"), ColumnKind::Decimal),
        },
        contacts);
    document->setPrimaryKey({ QStringLiteral("id") });
    document->setSampleRows({
        { 1, QStringLiteral("ada@example.com"), QStringLiteral("Ada"), QStringLiteral("Lovelace"),
            QStringLiteral("1830.50") },
        { 2, QVariant(), QStringLiteral("Alan"), QStringLiteral("Turing"), QStringLiteral("240.00") },
    });
    return document;
}

QStringList warningKinds(const MappingDocument &document)
{
    QStringList kinds;
    for (const MappingWarning &warning : document.warnings())
        kinds << QStringLiteral("%1:%2").arg(int(warning.kind)).arg(warning.field);
    return kinds;
}

bool hasWarning(const MappingDocument &document, MappingWarning::Kind kind, const QString &field = {})
{
    const QList<MappingWarning> warnings = document.warnings();
    return std::any_of(warnings.begin(), warnings.end(),
        [&](const MappingWarning &w) { return w.kind == kind && (field.isEmpty() || w.field == field); });
}

} // namespace

class MappingDocumentTest : public QObject
{
    Q_OBJECT

private slots:
    void connectIsOneUndoStepWithReadableText()
    {
        auto document = customersToContacts();
        QSignalSpy changed(document.get(), &MappingDocument::mappingChanged);
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(document->undoStack()->count(), 1);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Map email \u2192 email_address"));
        QCOMPARE(document->entryFor(QStringLiteral("email_address")),
            MappingEntry::fromColumn(QStringLiteral("email"), QStringLiteral("email_address")));

        document->undoStack()->undo();
        QVERIFY(!document->entryFor(QStringLiteral("email_address")));
        QCOMPARE(document->toSync().mapping.size(), size_t(0));
        QCOMPARE(changed.count(), 2);
        document->undoStack()->redo();
        QCOMPARE(document->toSync().mapping,
            std::vector { MappingEntry::fromColumn(QStringLiteral("email"), QStringLiteral("email_address")) });
    }

    void connectingTheSameAgainPushesNothing()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        QCOMPARE(document->undoStack()->count(), 1);
    }

    void connectingAnotherColumnReplacesTheFieldsSource()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("first_name"), QStringLiteral("given_name"));
        document->connectColumn(QStringLiteral("last_name"), QStringLiteral("given_name"));
        QCOMPARE(document->connectionCount(), 1);
        QCOMPARE(document->entryFor(QStringLiteral("given_name"))->column, QStringLiteral("last_name"));
        document->undoStack()->undo();
        QCOMPARE(document->entryFor(QStringLiteral("given_name"))->column, QStringLiteral("first_name"));
    }

    void disconnectUndoesToTheSameConnection()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("lifetime_value"), QStringLiteral("ltv"));
        document->setCast(QStringLiteral("ltv"), QStringLiteral("number"));
        document->disconnectField(QStringLiteral("ltv"));
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Unmap lifetime_value \u2192 ltv"));
        QVERIFY(!document->entryFor(QStringLiteral("ltv")));
        document->undoStack()->undo();
        QCOMPARE(document->entryFor(QStringLiteral("ltv")),
            MappingEntry::fromColumn(
                QStringLiteral("lifetime_value"), QStringLiteral("ltv"), QStringLiteral("number")));
        document->undoStack()->redo();
        QVERIFY(!document->entryFor(QStringLiteral("ltv")));
    }

    void typingAConstantMergesIntoOneUndoStep()
    {
        auto document = customersToContacts();
        for (const QString &text : { QStringLiteral("c"), QStringLiteral("cu"), QStringLiteral("customer") })
            document->setConstant(QStringLiteral("stage"), text);
        QCOMPARE(document->undoStack()->count(), 1);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Set stage to 'customer'"));
        QCOMPARE(document->entryFor(QStringLiteral("stage"))->value, QStringLiteral("customer"));
        QCOMPARE(document->preview(QStringLiteral("stage")).values,
            QStringList({ QStringLiteral("\"customer\""), QStringLiteral("\"customer\"") }));
        document->undoStack()->undo();
        QVERIFY(!document->entryFor(QStringLiteral("stage")));
        document->undoStack()->redo();
        QCOMPARE(document->entryFor(QStringLiteral("stage"))->value, QStringLiteral("customer"));
    }

    void constantsOfDifferentFieldsStaySeparateSteps()
    {
        auto document = customersToContacts();
        document->setConstant(QStringLiteral("stage"), QStringLiteral("lead"));
        document->setConstant(QStringLiteral("full_name"), QStringLiteral("n/a"));
        QCOMPARE(document->undoStack()->count(), 2);
        document->undoStack()->undo();
        QVERIFY(!document->entryFor(QStringLiteral("full_name")));
        QVERIFY(document->entryFor(QStringLiteral("stage")));
    }

    void templateRendersTheFirstRowsAndUndoes()
    {
        auto document = customersToContacts();
        document->setTemplate(QStringLiteral("full_name"), QStringLiteral("{{first_name}}"));
        document->setTemplate(QStringLiteral("full_name"), QStringLiteral("{{first_name}} {{last_name}}"));
        QCOMPARE(document->undoStack()->count(), 1);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Set full_name to {{first_name}} {{last_name}}"));
        const FieldPreview preview = document->preview(QStringLiteral("full_name"));
        QCOMPARE(
            preview.values, QStringList({ QStringLiteral("\"Ada Lovelace\""), QStringLiteral("\"Alan Turing\"") }));
        QVERIFY(preview.error.isEmpty());
        document->undoStack()->undo();
        QVERIFY(!document->entryFor(QStringLiteral("full_name")));
    }

    void aBrokenTemplateIsAWarningNotAPreview()
    {
        auto document = customersToContacts();
        document->setTemplate(QStringLiteral("full_name"), QStringLiteral("{{first_nam}}"));
        QVERIFY(document->preview(QStringLiteral("full_name")).values.isEmpty());
        QVERIFY(document->preview(QStringLiteral("full_name")).error.contains(QStringLiteral("first_nam")));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::InvalidEntry, QStringLiteral("full_name")));
        QVERIFY(!document->canRun());
    }

    void previewEqualsWhatTheEngineSends()
    {
        auto document = customersToContacts();
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("email_address"));
        document->setTemplate(QStringLiteral("full_name"), QStringLiteral("{{first_name}} {{last_name}}"));
        document->connectColumn(QStringLiteral("lifetime_value"), QStringLiteral("ltv"));
        document->setCast(QStringLiteral("ltv"), QStringLiteral("number"));
        document->connectColumn(QStringLiteral("id"), QStringLiteral("external_id"));
        QVERIFY2(document->canRun(), qPrintable(warningKinds(*document).join(QLatin1Char(' '))));

        // The whole sync through the engine, on the same first row.
        engine::SyncDef sync = document->toSync();
        engine::connector::ObjectSpec object = document->object();
        auto mapper
            = engine::mapping::Mapper::compile(sync, document->modelColumns(), { QStringLiteral("id") }, object);
        QVERIFY2(mapper, qPrintable(mapper ? QString() : mapper.error().message));
        RowBatchBuilder builder(document->modelColumns());
        builder.addRow({ std::int64_t(1), std::string("ada@example.com"), std::string("Ada"), std::string("Lovelace"),
            std::string("1830.50") });
        const auto batch = builder.build();
        engine::mapping::MappedRow row;
        QVERIFY(mapper->map(batch, 0, row));
        QString expected = QStringLiteral("{");
        QStringList parts;
        for (const QString &field : mapper->fields())
            parts << QStringLiteral("\"%1\":%2").arg(field, document->preview(field).values.first());
        expected += parts.join(QLatin1Char(',')) + QLatin1Char('}');
        QCOMPARE(QString::fromStdString(row.payload), expected);
        QCOMPARE(document->preview(QStringLiteral("ltv")).values.first(), QStringLiteral("1830.50"));
    }

    void castIsUndoableAndMerges()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("lifetime_value"), QStringLiteral("ltv"));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::TypeMismatch, QStringLiteral("ltv")));
        document->setCast(QStringLiteral("ltv"), QStringLiteral("integer"));
        document->setCast(QStringLiteral("ltv"), QStringLiteral("number"));
        QCOMPARE(document->undoStack()->count(), 2);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Cast ltv as number"));
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::TypeMismatch, QStringLiteral("ltv")));
        document->undoStack()->undo();
        QCOMPARE(document->entryFor(QStringLiteral("ltv"))->cast, QString());
        QVERIFY(hasWarning(*document, MappingWarning::Kind::TypeMismatch, QStringLiteral("ltv")));
    }

    void matchKeyIsWrittenAsTheEngineExpects()
    {
        auto document = customersToContacts();
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("email_address"));
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Match on email \u2192 email_address"));
        QCOMPARE(document->entryFor(QStringLiteral("email_address"))->column, QStringLiteral("email"));
        engine::SyncDef sync = document->toSync();
        QCOMPARE(sync.matchColumn, QStringLiteral("email"));
        QCOMPARE(sync.matchField, QStringLiteral("email_address"));
        QVERIFY(sync.mapping.empty()); // the engine fills the match field from the match column
        document->undoStack()->undo();
        QVERIFY(document->matchField().isEmpty());
        QVERIFY(!document->entryFor(QStringLiteral("email_address")));
        QVERIFY(document->toSync().matchColumn.isEmpty());
    }

    void disconnectingTheMatchFieldDropsTheKeyAndUndoBringsItBack()
    {
        auto document = customersToContacts();
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("email_address"));
        document->disconnectField(QStringLiteral("email_address"));
        QVERIFY(document->matchField().isEmpty());
        document->undoStack()->undo();
        QCOMPARE(document->matchField(), QStringLiteral("email_address"));
        QCOMPARE(document->matchColumn(), QStringLiteral("email"));
    }

    void reconnectingTheMatchFieldMovesTheMatchColumn()
    {
        auto document = customersToContacts();
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("external_id"));
        document->connectColumn(QStringLiteral("id"), QStringLiteral("external_id"));
        QCOMPARE(document->toSync().matchColumn, QStringLiteral("id"));
        document->undoStack()->undo();
        QCOMPARE(document->toSync().matchColumn, QStringLiteral("email"));
    }

    void loadAndWriteRoundTripsTheDefinition_data()
    {
        QTest::addColumn<bool>("matchListed");
        QTest::newRow("match filled by the engine") << false;
        QTest::newRow("match listed as a mapping line") << true;
    }

    void loadAndWriteRoundTripsTheDefinition()
    {
        QFETCH(bool, matchListed);
        engine::SyncDef sync;
        sync.name = QStringLiteral("contacts");
        sync.matchColumn = QStringLiteral("email");
        sync.matchField = QStringLiteral("email_address");
        sync.mapping = {
            MappingEntry::fromTemplate(QStringLiteral("{{first_name}} {{last_name}}"), QStringLiteral("full_name")),
            MappingEntry::fromValue(QStringLiteral("customer"), QStringLiteral("stage")),
            MappingEntry::fromColumn(QStringLiteral("lifetime_value"), QStringLiteral("ltv"), QStringLiteral("number"))
        };
        if (matchListed)
            sync.mapping.insert(sync.mapping.begin() + 1, MappingEntry::fromColumn(sync.matchColumn, sync.matchField));
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("id"), QStringLiteral("external_id"));
        document->load(sync);
        QCOMPARE(document->undoStack()->count(), 0);
        QCOMPARE(document->connectionCount(), 4);
        QCOMPARE(document->entryFor(QStringLiteral("email_address"))->column, QStringLiteral("email"));
        QCOMPARE(document->toSync(sync), sync);
        // An edit and its undo leave the definition as loaded.
        document->clearAll();
        QCOMPARE(document->connectionCount(), 0);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Clear the mapping"));
        document->undoStack()->undo();
        QCOMPARE(document->toSync(sync), sync);
    }

    void autoMapPairsNamesLikeAPerson()
    {
        const QList<AutoMapMatch> matches
            = autoMapByName({ QStringLiteral("ID"), QStringLiteral("Email"), QStringLiteral("first-name"),
                                QStringLiteral("surname"), QStringLiteral("mobile"), QStringLiteral("organisation"),
                                QStringLiteral("zip"), QStringLiteral("country"), QStringLiteral("plan") },
                { QStringLiteral("email_address"), QStringLiteral("firstname"), QStringLiteral("last_name"),
                    QStringLiteral("phone_number"), QStringLiteral("company_name"), QStringLiteral("postal_code"),
                    QStringLiteral("country_code"), QStringLiteral("external_id"), QStringLiteral("Plan") });
        QStringList pairs;
        for (const AutoMapMatch &match : matches)
            pairs << match.column + QStringLiteral("->") + match.field;
        pairs.sort();
        QCOMPARE(pairs,
            QStringList({ QStringLiteral("Email->email_address"), QStringLiteral("ID->external_id"),
                QStringLiteral("country->country_code"), QStringLiteral("first-name->firstname"),
                QStringLiteral("mobile->phone_number"), QStringLiteral("organisation->company_name"),
                QStringLiteral("plan->Plan"), QStringLiteral("surname->last_name"),
                QStringLiteral("zip->postal_code") }));
    }

    void autoMapPrefersExactOverLooseOverSynonym()
    {
        const QList<AutoMapMatch> matches = autoMapByName(
            { QStringLiteral("mail"), QStringLiteral("E_mail"), QStringLiteral("email") }, { QStringLiteral("email") });
        QCOMPARE(matches.size(), 1);
        QCOMPARE(matches.first().column, QStringLiteral("email"));
        QCOMPARE(matches.first().how, AutoMapMatch::How::Exact);
        const QList<AutoMapMatch> loose
            = autoMapByName({ QStringLiteral("mail"), QStringLiteral("E_mail") }, { QStringLiteral("email") });
        QCOMPARE(loose.first().column, QStringLiteral("E_mail"));
        QCOMPARE(loose.first().how, AutoMapMatch::How::Loose);
    }

    void autoMapNeverUsesAColumnOrFieldTwice()
    {
        // Two columns of one synonym group, two fields of it: each pairs once.
        const QList<AutoMapMatch> matches = autoMapByName({ QStringLiteral("phone"), QStringLiteral("mobile") },
            { QStringLiteral("phone_number"), QStringLiteral("telephone"), QStringLiteral("tel") });
        QCOMPARE(matches.size(), 2);
        QVERIFY(matches[0].column != matches[1].column);
        QVERIFY(matches[0].field != matches[1].field);
        // Already mapped columns and fields are left alone.
        QVERIFY(autoMapByName({ QStringLiteral("email") }, { QStringLiteral("email") }, { QStringLiteral("email") })
                    .isEmpty());
        QVERIFY(autoMapByName({ QStringLiteral("email") }, { QStringLiteral("email") }, {}, { QStringLiteral("email") })
                    .isEmpty());
    }

    void autoMapIsOneUndoStepAndChoosesAMatchKey()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("first_name"), QStringLiteral("full_name"));
        const int connected = document->autoMap();
        // email -> email_address, id -> external_id, last_name -> family_name; first_name is taken,
        // record_id is read-only and never auto-mapped.
        QCOMPARE(connected, 3);
        QCOMPARE(document->undoStack()->count(), 2);
        QCOMPARE(document->undoStack()->undoText(), QStringLiteral("Auto-map 3 fields"));
        QCOMPARE(document->entryFor(QStringLiteral("email_address"))->column, QStringLiteral("email"));
        QCOMPARE(document->entryFor(QStringLiteral("external_id"))->column, QStringLiteral("id"));
        QCOMPARE(document->entryFor(QStringLiteral("family_name"))->column, QStringLiteral("last_name"));
        QVERIFY(!document->entryFor(QStringLiteral("given_name")));
        QVERIFY(!document->entryFor(QStringLiteral("record_id")));
        QCOMPARE(document->matchField(), QStringLiteral("external_id")); // the model's key column wins
        QCOMPARE(document->matchColumn(), QStringLiteral("id"));

        document->undoStack()->undo();
        QCOMPARE(document->connectionCount(), 1);
        QVERIFY(document->matchField().isEmpty());
        document->undoStack()->redo();
        QCOMPARE(document->connectionCount(), 4);
        QCOMPARE(document->matchField(), QStringLiteral("external_id"));
        QCOMPARE(document->autoMap(), 0); // nothing left to pair
    }

    void autoMapForAnyFieldObjectsTakesEachColumnAsItself()
    {
        engine::connector::ObjectSpec file;
        file.name = QStringLiteral("customers");
        file.acceptsAnyField = true;
        MappingDocument document({ RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
                                     RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text) },
            file);
        document.connectColumn(QStringLiteral("email"), QStringLiteral("contact_email"));
        QCOMPARE(document.autoMap(), 1);
        QCOMPARE(document.entryFor(QStringLiteral("id"))->column, QStringLiteral("id"));
        QVERIFY(!document.entryFor(QStringLiteral("email"))); // email already feeds contact_email
        QStringList fields;
        for (const FieldSpec &field : document.fields())
            fields << field.name;
        QCOMPARE(fields, QStringList({ QStringLiteral("contact_email"), QStringLiteral("id") }));
        QVERIFY(document.canRun());
    }

    void renamingANewFieldUndoesAndKeepsTheMatchKey()
    {
        engine::connector::ObjectSpec file;
        file.name = QStringLiteral("customers");
        file.acceptsAnyField = true;
        file.fields = { spec(QStringLiteral("listed")) };
        MappingDocument document({ RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
                                     RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text) },
            file);
        document.setMatchKey(QStringLiteral("id"), QStringLiteral("id"));
        document.connectColumn(QStringLiteral("email"), QStringLiteral("email"));
        QVERIFY(document.renameField(QStringLiteral("id"), QStringLiteral("customer_id")));
        QCOMPARE(document.undoStack()->undoText(), QStringLiteral("Rename field id \u2192 customer_id"));
        QCOMPARE(document.toSync().matchField, QStringLiteral("customer_id"));
        QVERIFY(!document.renameField(QStringLiteral("email"), QStringLiteral("customer_id"))); // taken
        QVERIFY(!document.renameField(QStringLiteral("email"), QStringLiteral("listed"))); // the object's own
        QCOMPARE(document.undoStack()->count(), 3);
        document.undoStack()->undo();
        QCOMPARE(document.toSync().matchField, QStringLiteral("id"));
        QCOMPARE(document.entryFor(QStringLiteral("id"))->column, QStringLiteral("id"));
    }

    void warningsNameWhatBlocksARun()
    {
        auto document = customersToContacts();
        // Nothing mapped: the required email_address blocks, the missing match key is a warning.
        QVERIFY(hasWarning(*document, MappingWarning::Kind::RequiredUnmapped, QStringLiteral("email_address")));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::NoMatchKey));
        QVERIFY(!document->canRun());

        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::RequiredUnmapped));
        QVERIFY(document->canRun());

        document->connectColumn(QStringLiteral("first_name"), QStringLiteral("record_id"));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::ReadOnlyField, QStringLiteral("record_id")));
        QVERIFY(!document->canRun());
        document->undoStack()->undo();
        QVERIFY(document->canRun());

        document->connectColumn(QStringLiteral("lifetime_value"), QStringLiteral("ltv"));
        const QList<MappingWarning> ltv = document->warningsFor(QStringLiteral("ltv"));
        QCOMPARE(ltv.size(), 1);
        QCOMPARE(ltv.first().kind, MappingWarning::Kind::TypeMismatch);
        QCOMPARE(ltv.first().suggestedCast, QStringLiteral("number"));
        QVERIFY(ltv.first().message.contains(QStringLiteral("expects number but gets text")));
        QVERIFY(ltv.first().blocksRun());
        document->setCast(QStringLiteral("ltv"), ltv.first().suggestedCast);
        QVERIFY(document->canRun());
    }

    void aMatchKeyMustIdentifyRecordsAndShouldBeTheModelsKey()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        document->setMatchKey(QStringLiteral("first_name"), QStringLiteral("given_name"));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::MatchNotIdentifier, QStringLiteral("given_name")));
        QVERIFY(!document->canRun());
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("email_address"));
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::MatchNotIdentifier));
        // email is an identifier but not the model's primary key (id): a warning, not a block.
        QVERIFY(hasWarning(*document, MappingWarning::Kind::MatchNotUnique, QStringLiteral("email_address")));
        QVERIFY(document->canRun());
        document->setMatchKey(QStringLiteral("id"), QStringLiteral("external_id"));
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::MatchNotUnique));
    }

    void anythingTheEngineRefusesAlsoBlocks()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        QVERIFY(document->canRun());
        document->setPrimaryKey({ QStringLiteral("customer_key") }); // the model's key names no column
        QVERIFY(!document->canRun());
        const QList<MappingWarning> warnings = document->warnings();
        QVERIFY(std::any_of(warnings.begin(), warnings.end(), [](const MappingWarning &w) {
            return w.kind == MappingWarning::Kind::Engine && w.blocksRun()
                && w.message.contains(QStringLiteral("customer_key"));
        }));
    }

    void aCaseInsensitiveMatchFieldIsNamed()
    {
        auto document = customersToContacts();
        engine::connector::ObjectSpec object = document->object();
        object.fields.front().caseInsensitive = true; // email_address
        document->setObject(object);
        document->setMatchKey(QStringLiteral("email"), QStringLiteral("email_address"));
        QVERIFY(hasWarning(*document, MappingWarning::Kind::MatchIgnoresCase, QStringLiteral("email_address")));
        QVERIFY(document->canRun());
        document->setMatchKey(QStringLiteral("id"), QStringLiteral("external_id"));
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::MatchIgnoresCase));
    }

    void updateOnlySyncsNeedNoRequiredFields()
    {
        auto document = customersToContacts();
        QVERIFY(hasWarning(*document, MappingWarning::Kind::RequiredUnmapped));
        document->setMode(engine::SyncMode::UpdateOnly);
        QVERIFY(!hasWarning(*document, MappingWarning::Kind::RequiredUnmapped));
    }

    void aNullSampleRendersAsNull()
    {
        auto document = customersToContacts();
        document->connectColumn(QStringLiteral("email"), QStringLiteral("email_address"));
        QCOMPARE(document->preview(QStringLiteral("email_address")).values,
            QStringList({ QStringLiteral("\"ada@example.com\""), QStringLiteral("null") }));
        QCOMPARE(document->columns()[1].samples, QStringList({ QStringLiteral("ada@example.com"), QString() }));
    }

    void binarySamplesFromThePreviewRenderAsTheEngineSendsThem()
    {
        engine::connector::ObjectSpec file;
        file.acceptsAnyField = true;
        MappingDocument document({ RowBatchBuilder::column(QStringLiteral("avatar"), ColumnKind::Binary) }, file);
        document.setSampleRows({ { QStringLiteral("\\x616263") } }); // how the preview table shows the bytes "abc"
        document.connectColumn(QStringLiteral("avatar"), QStringLiteral("avatar"));
        QCOMPARE(
            document.preview(QStringLiteral("avatar")).values, QStringList { QStringLiteral("\"YWJj\"") }); // base64
    }

    void theDemoFillerShowsAMismatchToFix()
    {
        MappingDocument document;
        fillDemoMapper(&document);
        QCOMPARE(document.undoStack()->count(), 0);
        QCOMPARE(document.matchField(), QStringLiteral("external_id"));
        QVERIFY(hasWarning(document, MappingWarning::Kind::TypeMismatch, QStringLiteral("ltv")));
        QCOMPARE(document.preview(QStringLiteral("full_name")).values.first(), QStringLiteral("\"Ada Lovelace\""));
    }
};

QTEST_GUILESS_MAIN(MappingDocumentTest)
#include "tst_mappingdocument.moc"
