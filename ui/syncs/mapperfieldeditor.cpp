#include "ui/syncs/mapperfieldeditor.h"

#include "ui/syncs/mappingdocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::MappingEntry;

namespace {

QStringList itemsOf(const QComboBox *box)
{
    QStringList items;
    for (int i = 0; i < box->count(); ++i)
        items << box->itemText(i);
    return items;
}

} // namespace

MapperFieldEditor::MapperFieldEditor(MappingDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_title(new QLabel(this))
    , m_details(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_source(new QComboBox(this))
    , m_column(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_insert(new QComboBox(this))
    , m_cast(new QComboBox(this))
    , m_match(new QCheckBox(tr("Match records on this field"), this))
    , m_preview(new QListWidget(this))
    , m_error(new QLabel(this))
{
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    m_details->setWordWrap(true);
    m_source->addItem(tr("Not mapped"), int(Source::None));
    m_source->addItem(tr("A column"), int(Source::Column));
    m_source->addItem(tr("A constant"), int(Source::Constant));
    m_source->addItem(tr("A template"), int(Source::Template));
    m_cast->setEditable(true);
    m_cast->addItems({ QString(), QStringLiteral("text"), QStringLiteral("number"), QStringLiteral("integer"),
        QStringLiteral("boolean"), QStringLiteral("date"), QStringLiteral("timestamp"), QStringLiteral("json") });
    m_cast->lineEdit()->setPlaceholderText(tr("as is"));
    m_text->setClearButtonEnabled(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_preview->setAccessibleName(tr("What the first rows send"));

    auto *form = m_form = new QFormLayout;
    form->addRow(tr("Field name"), m_name);
    form->addRow(tr("Value from"), m_source);
    form->addRow(tr("Column"), m_column);
    form->addRow(tr("Value"), m_text);
    form->addRow(tr("Insert"), m_insert);
    form->addRow(tr("Cast"), m_cast);
    auto *layout = new QVBoxLayout(this);
    setMinimumWidth(280);
    layout->addWidget(m_title);
    layout->addWidget(m_details);
    layout->addLayout(form);
    layout->addWidget(m_match);
    layout->addWidget(new QLabel(tr("What the first rows send:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_error);

    connect(m_source, &QComboBox::activated, this, &MapperFieldEditor::sourceChosen);
    connect(
        m_column, &QComboBox::activated, this, [this] { m_document->connectColumn(m_column->currentText(), m_field); });
    connect(m_name, &QLineEdit::editingFinished, this, &MapperFieldEditor::rename);
    connect(m_text, &QLineEdit::textEdited, this, &MapperFieldEditor::textEdited);
    connect(m_insert, &QComboBox::activated, this, [this](int index) {
        if (index <= 0)
            return;
        m_text->insert(QStringLiteral("{{%1}}").arg(m_insert->itemText(index)));
        m_insert->setCurrentIndex(0);
        textEdited(m_text->text());
        m_text->setFocus();
    });
    connect(m_cast, &QComboBox::activated, this, &MapperFieldEditor::castChosen);
    connect(m_cast->lineEdit(), &QLineEdit::editingFinished, this, &MapperFieldEditor::castChosen);
    connect(m_match, &QCheckBox::clicked, this, [this](bool on) {
        const std::optional<MappingEntry> entry = m_document->entryFor(m_field);
        if (on && entry && entry->kind == MappingEntry::SourceKind::Column)
            m_document->setMatchKey(entry->column, m_field);
        else if (!on && m_document->matchField() == m_field)
            m_document->setMatchKey({}, {});
    });
    connect(document, &MappingDocument::mappingChanged, this, &MapperFieldEditor::refresh);
    connect(document, &MappingDocument::inputsChanged, this, &MapperFieldEditor::refresh);
    refresh();
}

void MapperFieldEditor::setField(const QString &field)
{
    m_field = field;
    refresh();
}

void MapperFieldEditor::sourceChosen(int index)
{
    const auto source = Source(m_source->itemData(index).toInt());
    const std::optional<MappingEntry> entry = m_document->entryFor(m_field);
    switch (source) {
    case Source::None:
        m_document->disconnectField(m_field);
        break;
    case Source::Column:
        if (!entry || entry->kind != MappingEntry::SourceKind::Column) {
            if (!m_document->columns().empty())
                m_document->connectColumn(m_document->columns().front().name, m_field);
        }
        break;
    case Source::Constant:
        if (!entry || entry->kind != MappingEntry::SourceKind::Constant)
            m_document->setConstant(m_field, QString());
        m_text->setFocus();
        break;
    case Source::Template:
        if (!entry || entry->kind != MappingEntry::SourceKind::Template) {
            const QString first = entry && entry->kind == MappingEntry::SourceKind::Column ? entry->column
                : m_document->columns().empty()                                            ? QString()
                                                : m_document->columns().front().name;
            m_document->setTemplate(m_field, first.isEmpty() ? QString() : QStringLiteral("{{%1}}").arg(first));
        }
        m_text->setFocus();
        break;
    }
}

void MapperFieldEditor::rename()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty() || name == m_field)
        return;
    if (m_document->renameField(m_field, name)) {
        m_field = name;
        emit renamed(name);
        refresh();
    } else {
        m_error->setText(tr("A field named %1 already exists; choose another name.").arg(name));
    }
}

void MapperFieldEditor::textEdited(const QString &text)
{
    const std::optional<MappingEntry> entry = m_document->entryFor(m_field);
    if (!entry)
        return;
    if (entry->kind == MappingEntry::SourceKind::Constant)
        m_document->setConstant(m_field, text);
    else if (entry->kind == MappingEntry::SourceKind::Template)
        m_document->setTemplate(m_field, text);
}

void MapperFieldEditor::castChosen()
{
    const std::optional<MappingEntry> entry = m_document->entryFor(m_field);
    const QString cast = m_cast->currentText().trimmed();
    if (entry && entry->cast != cast)
        m_document->setCast(m_field, cast);
}

void MapperFieldEditor::refresh()
{
    const QSignalBlocker blockSource(m_source);
    const QSignalBlocker blockColumn(m_column);
    const QSignalBlocker blockCast(m_cast);
    const std::optional<engine::connector::FieldSpec> spec = m_document->field(m_field);
    const std::optional<MappingEntry> entry = m_document->entryFor(m_field);
    const bool known = !m_field.isEmpty() && (spec || entry);
    setEnabled(known);
    m_title->setText(known ? m_field : tr("Select a field"));
    if (!known) {
        m_details->setText(tr("Drag a column onto a field to map it, or click a field to edit it."));
        m_preview->clear();
        m_error->clear();
        return;
    }
    QStringList details;
    if (spec) {
        details << tr("Type: %1").arg(fieldTypeName(spec->type));
        if (spec->required)
            details << tr("required");
        if (spec->identifier)
            details << tr("identifies records");
        if (spec->readOnly)
            details << tr("read-only");
        if (spec->caseInsensitive)
            details << tr("compared ignoring case");
    } else {
        details << (m_document->object().acceptsAnyField
                ? tr("A field you added to %1").arg(m_document->object().name)
                : tr("%1 has no such field: choose \"Not mapped\" to remove it").arg(m_document->object().name));
    }
    m_details->setText(details.join(QStringLiteral(", ")));

    Source source = Source::None;
    if (entry) {
        source = entry->kind == MappingEntry::SourceKind::Column ? Source::Column
            : entry->kind == MappingEntry::SourceKind::Constant  ? Source::Constant
                                                                 : Source::Template;
    }
    m_source->setCurrentIndex(m_source->findData(int(source)));
    const bool named = !spec && m_document->object().acceptsAnyField;
    m_form->setRowVisible(m_name, named);
    if (named && !m_name->hasFocus())
        m_name->setText(m_field);
    QStringList columns;
    for (const MapperColumn &column : m_document->columns())
        columns << column.name;
    if (itemsOf(m_column) != columns) {
        m_column->clear();
        m_column->addItems(columns);
    }
    m_form->setRowVisible(m_column, source == Source::Column);
    m_column->setCurrentText(entry && source == Source::Column ? entry->column : QString());
    m_form->setRowVisible(m_text, source == Source::Constant || source == Source::Template);
    m_form->setRowVisible(m_insert, source == Source::Template);
    if (itemsOf(m_insert).mid(1) != columns || m_insert->count() == 0) {
        m_insert->clear();
        m_insert->addItem(tr("a column\u2026"));
        m_insert->addItems(columns);
    }
    const QString text = source == Source::Constant ? entry->value
        : source == Source::Template                ? entry->templateText
                                                    : QString();
    if (m_text->text() != text)
        m_text->setText(text);
    m_text->setPlaceholderText(
        source == Source::Template ? tr("{{first_name}} {{last_name}}") : tr("the same for every row"));
    m_cast->setEnabled(entry.has_value());
    if (m_cast->currentText() != (entry ? entry->cast : QString()))
        m_cast->setEditText(entry ? entry->cast : QString());
    m_match->setEnabled(source == Source::Column);
    m_match->setChecked(m_document->matchField() == m_field);

    m_preview->clear();
    const FieldPreview preview = m_document->preview(m_field);
    for (qsizetype i = 0; i < preview.values.size(); ++i) {
        auto *item = new QListWidgetItem(tr("Row %1: %2").arg(i + 1).arg(preview.values[i]), m_preview);
        if (!preview.rowValid.value(i))
            item->setForeground(QColor(198, 40, 40));
    }
    QStringList problems;
    if (!preview.error.isEmpty())
        problems << preview.error;
    for (const MappingWarning &warning : m_document->warningsFor(m_field))
        problems << warning.message;
    problems.removeDuplicates();
    m_error->setText(problems.join(QLatin1Char('\n')));
}

} // namespace syncline::ui
