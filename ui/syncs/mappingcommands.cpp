#include "ui/syncs/mappingcommands.h"

#include "ui/syncs/automapper.h"
#include "ui/syncs/mappingdocument.h"

#include <QCoreApplication>

namespace syncline::ui {

using engine::MappingEntry;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MappingCommand", text);
}

QString describeSource(const MappingEntry &entry)
{
    switch (entry.kind) {
    case MappingEntry::SourceKind::Column:
        return entry.column;
    case MappingEntry::SourceKind::Template:
        return entry.templateText;
    case MappingEntry::SourceKind::Constant:
        return QLatin1Char('\'') + entry.value + QLatin1Char('\'');
    }
    return {};
}

// A long template or constant shortened for the Edit menu.
QString shortened(const QString &text)
{
    return text.size() <= 40 ? text : text.left(37) + QStringLiteral("...");
}

} // namespace

MappingCommand::MappingCommand(MappingDocument *document, const MappingState &before, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_before(before)
    , m_after(before)
{ }

void MappingCommand::undo()
{
    m_document->applyState(m_before);
}

void MappingCommand::redo()
{
    m_document->applyState(m_after);
}

bool MappingCommand::mergeSameField(const QUndoCommand *other, const QString &field)
{
    if (other->id() != id())
        return false;
    const auto *newer = static_cast<const MappingCommand *>(other);
    if (newer->m_field != field)
        return false;
    m_after = newer->m_after;
    setText(newer->text());
    setObsolete(m_before == m_after);
    return true;
}

ConnectCommand::ConnectCommand(MappingDocument *document, const MappingState &before, const QString &column,
    const QString &field, QUndoCommand *parent)
    : MappingCommand(document, before, parent)
{
    m_field = field;
    const MappingEntry *old = m_after.entryFor(field);
    // Reconnecting the same column keeps its cast; a new source starts uncast.
    const QString cast
        = old && old->kind == MappingEntry::SourceKind::Column && old->column == column ? old->cast : QString();
    m_after.put(MappingEntry::fromColumn(column, field, cast));
    if (m_after.matchField == field)
        m_after.matchColumn = column; // the match key stays on the field and follows its column
    setText(tr("Map %1 \u2192 %2").arg(column, field));
}

DisconnectCommand::DisconnectCommand(
    MappingDocument *document, const MappingState &before, const QString &field, QUndoCommand *parent)
    : MappingCommand(document, before, parent)
{
    m_field = field;
    if (const MappingEntry *old = m_after.entryFor(field))
        setText(tr("Unmap %1 \u2192 %2").arg(shortened(describeSource(*old)), field));
    m_after.remove(field);
}

SetConstantCommand::SetConstantCommand(
    MappingDocument *document, const MappingState &before, const QString &field, const QString &value)
    : MappingCommand(document, before)
{
    m_field = field;
    const MappingEntry *old = m_after.entryFor(field);
    const QString cast = old && old->kind == MappingEntry::SourceKind::Constant ? old->cast : QString();
    if (field == m_after.matchField)
        m_after.remove(field); // a constant cannot identify records
    m_after.put(MappingEntry::fromValue(value, field, cast));
    setText(tr("Set %1 to '%2'").arg(field, shortened(value)));
}

SetTemplateCommand::SetTemplateCommand(
    MappingDocument *document, const MappingState &before, const QString &field, const QString &text)
    : MappingCommand(document, before)
{
    m_field = field;
    const MappingEntry *old = m_after.entryFor(field);
    const QString cast = old && old->kind == MappingEntry::SourceKind::Template ? old->cast : QString();
    if (field == m_after.matchField)
        m_after.remove(field);
    m_after.put(MappingEntry::fromTemplate(text, field, cast));
    setText(tr("Set %1 to %2").arg(field, shortened(text)));
}

SetCastCommand::SetCastCommand(
    MappingDocument *document, const MappingState &before, const QString &field, const QString &cast)
    : MappingCommand(document, before)
{
    m_field = field;
    if (MappingEntry *entry = m_after.entryFor(field)) {
        entry->cast = cast;
        if (field == m_after.matchField && !cast.isEmpty())
            m_after.matchListed = true; // a cast match line must be written out
    }
    setText(cast.isEmpty() ? tr("Remove the cast of %1").arg(field) : tr("Cast %1 as %2").arg(field, cast));
}

SetMatchKeyCommand::SetMatchKeyCommand(MappingDocument *document, const MappingState &before, const QString &column,
    const QString &field, QUndoCommand *parent)
    : MappingCommand(document, before, parent)
{
    m_field = field;
    if (field.isEmpty() || column.isEmpty()) {
        m_after.matchColumn.clear();
        m_after.matchField.clear();
        m_after.matchListed = false;
        setText(tr("Remove the match key"));
        return;
    }
    const MappingEntry *old = m_after.entryFor(field);
    if (!old || old->kind != MappingEntry::SourceKind::Column || old->column != column)
        m_after.put(MappingEntry::fromColumn(column, field));
    if (m_after.matchField != field)
        m_after.matchListed = false;
    m_after.matchColumn = column;
    m_after.matchField = field;
    setText(tr("Match on %1 \u2192 %2").arg(column, field));
}

AutoMapCommand::AutoMapCommand(MappingDocument *document, const MappingState &before)
    : MappingCommand(document, before)
{
    QStringList columns;
    for (const MapperColumn &column : document->columns())
        columns << column.name;
    QStringList takenColumns;
    QStringList takenFields;
    for (const MappingEntry &entry : before.entries) {
        takenFields << entry.field;
        if (entry.kind == MappingEntry::SourceKind::Column)
            takenColumns << entry.column;
    }
    QStringList fields;
    for (const auto &spec : document->object().fields) {
        if (!spec.readOnly)
            fields << spec.name;
    }
    QList<AutoMapMatch> matches;
    if (document->object().acceptsAnyField) {
        // Fields are whatever is mapped: the listed ones by name first, then each column as itself.
        matches = autoMapByName(columns, fields, takenColumns, takenFields);
        for (const AutoMapMatch &match : std::as_const(matches)) {
            takenColumns << match.column;
            takenFields << match.field;
        }
        for (const QString &column : columns) {
            if (!takenColumns.contains(column) && !takenFields.contains(column))
                matches.append({ column, column, AutoMapMatch::How::Exact });
        }
    } else {
        matches = autoMapByName(columns, fields, takenColumns, takenFields);
    }

    MappingState state = before;
    for (const AutoMapMatch &match : std::as_const(matches)) {
        auto *child = new ConnectCommand(document, state, match.column, match.field, this);
        state = child->after();
    }
    m_connected = int(matches.size());
    // Without a match key, match on the first identifier field it mapped (the model's key first).
    if (!state.hasMatch()) {
        const QStringList key = document->primaryKey();
        const AutoMapMatch *choice = nullptr;
        for (const AutoMapMatch &match : std::as_const(matches)) {
            const auto spec = document->field(match.field);
            if (!spec || !spec->identifier)
                continue;
            if (!choice || (key.size() == 1 && key.first() == match.column && key.first() != choice->column))
                choice = &match;
        }
        if (choice) {
            auto *child = new SetMatchKeyCommand(document, state, choice->column, choice->field, this);
            state = child->after();
        }
    }
    m_after = state;
    setText(m_connected == 1 ? tr("Auto-map 1 field") : tr("Auto-map %1 fields").arg(m_connected));
}

ClearAllCommand::ClearAllCommand(MappingDocument *document, const MappingState &before)
    : MappingCommand(document, before)
{
    m_after = MappingState {};
    setText(tr("Clear the mapping"));
}

RenameFieldCommand::RenameFieldCommand(
    MappingDocument *document, const MappingState &before, const QString &field, const QString &newName)
    : MappingCommand(document, before)
{
    m_field = field;
    MappingEntry *entry = m_after.entryFor(field);
    if (!entry || newName.isEmpty() || newName == field || m_after.entryFor(newName))
        return; // nothing to rename, or the name is taken: a no-op the document drops
    entry->field = newName;
    if (m_after.matchField == field)
        m_after.matchField = newName;
    setText(tr("Rename field %1 \u2192 %2").arg(field, newName));
}

} // namespace syncline::ui
