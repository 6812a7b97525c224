#include "ui/syncs/mappingdocument.h"

#include "ui/models/resultmodel.h"
#include "ui/syncs/mappingcommands.h"

#include <QUndoStack>

#include <algorithm>
#include <memory>

namespace syncline::ui {

using engine::MappingEntry;
using engine::connector::FieldSpec;

MappingDocument::MappingDocument(QObject *parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{ }

MappingDocument::MappingDocument(
    const std::vector<engine::warehouse::Column> &columns, const engine::connector::ObjectSpec &object, QObject *parent)
    : MappingDocument(parent)
{
    m_modelColumns = columns;
    m_object = object;
    rebuildColumns();
    refresh();
}

MappingDocument::~MappingDocument() = default;

void MappingDocument::setColumns(const std::vector<engine::warehouse::Column> &columns)
{
    m_modelColumns = columns;
    m_samples = MappingSamples(m_modelColumns, m_sampleRows);
    rebuildColumns();
    refresh();
    emit inputsChanged();
}

void MappingDocument::setSampleRows(const QList<QVariantList> &rows)
{
    m_sampleRows = rows;
    m_samples = MappingSamples(m_modelColumns, m_sampleRows);
    rebuildColumns();
    m_previews.clear();
    emit inputsChanged();
}

void MappingDocument::setColumnsFromPreview(const ResultModel *preview, int maxRows)
{
    QList<QVariantList> rows;
    const int count = std::min(maxRows, preview->rowCount());
    for (int r = 0; r < count; ++r) {
        QVariantList row;
        for (int c = 0; c < preview->columnCount(); ++c)
            row << preview->value(r, c);
        rows << row;
    }
    m_sampleRows = rows;
    setColumns(preview->columns());
}

void MappingDocument::setObject(const engine::connector::ObjectSpec &object)
{
    m_object = object;
    refresh();
    emit inputsChanged();
}

void MappingDocument::setFields(const std::vector<FieldSpec> &fields)
{
    engine::connector::ObjectSpec object = m_object;
    object.fields = fields;
    setObject(object);
}

void MappingDocument::setPrimaryKey(const QStringList &columns)
{
    m_primaryKey = columns;
    refresh();
    emit inputsChanged();
}

void MappingDocument::setMode(engine::SyncMode mode)
{
    m_mode = mode;
    refresh();
    emit inputsChanged();
}

void MappingDocument::rebuildColumns()
{
    m_columns.clear();
    for (const auto &column : m_modelColumns) {
        MapperColumn shown;
        shown.name = column.name;
        shown.kind = column.kind;
        shown.typeName = column.typeName.isEmpty() ? engine::warehouse::columnKindName(column.kind) : column.typeName;
        shown.samples = m_samples.displayValues(column.name);
        m_columns.push_back(std::move(shown));
    }
}

std::vector<FieldSpec> MappingDocument::fields() const
{
    std::vector<FieldSpec> out = m_object.fields;
    for (const MappingEntry &entry : m_state.entries) {
        if (!std::any_of(out.begin(), out.end(), [&](const FieldSpec &f) { return f.name == entry.field; })) {
            FieldSpec extra;
            extra.name = entry.field;
            extra.label = entry.field;
            out.push_back(extra);
        }
    }
    return out;
}

std::optional<FieldSpec> MappingDocument::field(const QString &name) const
{
    for (const FieldSpec &spec : m_object.fields) {
        if (spec.name == name)
            return spec;
    }
    return std::nullopt;
}

void MappingDocument::load(const engine::SyncDef &sync)
{
    m_undo->clear();
    m_mode = sync.mode;
    applyState(MappingState::fromSync(sync));
}

void MappingDocument::writeTo(engine::SyncDef &sync) const
{
    sync.matchColumn = m_state.matchColumn;
    sync.matchField = m_state.matchField;
    sync.mapping = m_state.definitionEntries();
}

engine::SyncDef MappingDocument::toSync(engine::SyncDef base) const
{
    writeTo(base);
    return base;
}

std::optional<MappingEntry> MappingDocument::entryFor(const QString &field) const
{
    if (const MappingEntry *entry = m_state.entryFor(field))
        return *entry;
    return std::nullopt;
}

FieldPreview MappingDocument::preview(const QString &field) const
{
    const MappingEntry *entry = m_state.entryFor(field);
    if (!entry)
        return {};
    auto cached = m_previews.constFind(field);
    if (cached != m_previews.constEnd())
        return *cached;
    FieldPreview preview = m_samples.render(*entry);
    m_previews.insert(field, preview);
    return preview;
}

QList<MappingWarning> MappingDocument::warningsFor(const QString &field) const
{
    QList<MappingWarning> out;
    for (const MappingWarning &warning : m_warnings) {
        if (warning.field == field)
            out.append(warning);
    }
    return out;
}

bool MappingDocument::canRun() const
{
    return std::none_of(m_warnings.begin(), m_warnings.end(), [](const MappingWarning &w) { return w.blocksRun(); });
}

void MappingDocument::push(MappingCommand *command)
{
    if (command->isNoOp()) {
        delete command;
        return;
    }
    m_undo->push(command); // runs redo(), which applies the new state
}

void MappingDocument::connectColumn(const QString &column, const QString &field)
{
    if (column.isEmpty() || field.isEmpty())
        return;
    push(new ConnectCommand(this, m_state, column, field));
}

void MappingDocument::disconnectField(const QString &field)
{
    push(new DisconnectCommand(this, m_state, field));
}

void MappingDocument::setConstant(const QString &field, const QString &value)
{
    if (!field.isEmpty())
        push(new SetConstantCommand(this, m_state, field, value));
}

void MappingDocument::setTemplate(const QString &field, const QString &templateText)
{
    if (!field.isEmpty())
        push(new SetTemplateCommand(this, m_state, field, templateText));
}

void MappingDocument::setCast(const QString &field, const QString &cast)
{
    if (m_state.entryFor(field))
        push(new SetCastCommand(this, m_state, field, cast));
}

void MappingDocument::setMatchKey(const QString &column, const QString &field)
{
    push(new SetMatchKeyCommand(this, m_state, column, field));
}

bool MappingDocument::renameField(const QString &field, const QString &newName)
{
    if (this->field(field) || this->field(newName) || !m_state.entryFor(field) || m_state.entryFor(newName))
        return false;
    auto *command = new RenameFieldCommand(this, m_state, field, newName.trimmed());
    const bool renamed = !command->isNoOp();
    push(command);
    return renamed;
}

int MappingDocument::autoMap()
{
    auto *command = new AutoMapCommand(this, m_state);
    const int connected = command->connected();
    push(command);
    return connected;
}

void MappingDocument::clearAll()
{
    push(new ClearAllCommand(this, m_state));
}

void MappingDocument::applyState(const MappingState &state)
{
    m_state = state;
    refresh();
    emit mappingChanged();
}

void MappingDocument::refresh()
{
    m_previews.clear();
    const QList<MappingWarning> warnings = checkMapping({ m_state, m_modelColumns, m_object, m_primaryKey, m_mode });
    if (warnings != m_warnings) {
        m_warnings = warnings;
        emit warningsChanged();
    }
}

} // namespace syncline::ui
