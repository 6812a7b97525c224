#include "ui/syncs/mapperdemo.h"

#include "engine/warehouse/rowbatchbuilder.h"
#include "ui/syncs/mappingdocument.h"

#include <QUndoStack>

namespace syncline::ui {

using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::warehouse::ColumnKind;
using engine::warehouse::RowBatchBuilder;

namespace {

FieldSpec field(const char *name, const char *label, FieldType type, bool required = false, bool identifier = false,
    bool readOnly = false)
{
    FieldSpec spec;
    spec.name = QString::fromLatin1(name);
    spec.label = QString::fromLatin1(label);
    spec.type = type;
    spec.required = required;
    spec.identifier = identifier;
    spec.readOnly = readOnly;
    spec.caseInsensitive = spec.name == QStringLiteral("email");
    return spec;
}

} // namespace

void fillDemoMapper(MappingDocument *document, bool mapSome)
{
    document->setColumns({
        RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
        RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("first_name"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("last_name"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("plan"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("country"), ColumnKind::Text),
        RowBatchBuilder::column(QStringLiteral("seats"), ColumnKind::Integer),
        RowBatchBuilder::column(QStringLiteral("lifetime_value"), ColumnKind::Decimal),
        RowBatchBuilder::column(QStringLiteral("signup_date"), ColumnKind::Date),
    });
    document->setSampleRows({
        { 1, QStringLiteral("ada@example.com"), QStringLiteral("Ada"), QStringLiteral("Lovelace"),
            QStringLiteral("pro"), QStringLiteral("GB"), 12, QStringLiteral("1830.50"), QStringLiteral("2023-01-15") },
        { 2, QStringLiteral("alan@example.com"), QStringLiteral("Alan"), QStringLiteral("Turing"),
            QStringLiteral("starter"), QStringLiteral("GB"), 3, QStringLiteral("240.00"),
            QStringLiteral("2023-02-01") },
        { 3, QVariant(), QStringLiteral("Grace"), QStringLiteral("Hopper"), QStringLiteral("enterprise"),
            QStringLiteral("US"), 250, QStringLiteral("98000.00"), QStringLiteral("2023-03-09") },
    });
    document->setPrimaryKey({ QStringLiteral("id") });
    engine::connector::ObjectSpec contacts;
    contacts.name = QStringLiteral("contacts");
    contacts.label = QStringLiteral("Contacts");
    contacts.fields = {
        field("email", "Email", FieldType::Text, true, true),
        field("external_id", "External ID", FieldType::Text, false, true),
        field("firstname", "First name", FieldType::Text),
        field("surname", "Last name", FieldType::Text),
        field("full_name", "Full name", FieldType::Text),
        field("lifecycle_stage", "Lifecycle stage", FieldType::Text),
        field("country_code", "Country", FieldType::Text),
        field("seats", "Seats", FieldType::Integer),
        field("ltv", "Lifetime value", FieldType::Number),
        field("signup_date", "Signed up", FieldType::Date),
        field("hs_object_id", "Record ID", FieldType::Text, false, false, true),
    };
    document->setObject(contacts);
    if (mapSome) {
        document->autoMap();
        document->setTemplate(QStringLiteral("full_name"), QStringLiteral("{{first_name}} {{last_name}}"));
        document->setConstant(QStringLiteral("lifecycle_stage"), QStringLiteral("customer"));
        document->connectColumn(
            QStringLiteral("lifetime_value"), QStringLiteral("ltv")); // decimal -> number: needs a cast
    }
    document->undoStack()->clear();
}

} // namespace syncline::ui
