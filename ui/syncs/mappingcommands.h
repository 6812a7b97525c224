#pragma once

#include "ui/syncs/mappingstate.h"

#include <QUndoCommand>

namespace syncline::ui {

class MappingDocument;

// Base of the mapper's undo commands: each saves the mapping before and after its edit, so
// undo and redo restore exactly what the user saw. Subclasses compute `after` from `before`.
class MappingCommand : public QUndoCommand
{
public:
    enum Id { ConnectId = 1, DisconnectId, ConstantId, TemplateId, CastId, MatchKeyId, AutoMapId, ClearId, RenameId };

    MappingCommand(MappingDocument *document, const MappingState &before, QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;
    // True when the edit changes nothing (the document then pushes nothing).
    bool isNoOp() const { return m_before == m_after; }
    const MappingState &after() const { return m_after; }

protected:
    // Merge helper for edits that retype one field: keep our `before`, take the newer `after`.
    bool mergeSameField(const QUndoCommand *other, const QString &field);
    MappingDocument *m_document;
    MappingState m_before;
    MappingState m_after;
    QString m_field;
};

// "Map email → email_address": a column feeds a field (replacing the field's previous source).
class ConnectCommand : public MappingCommand
{
public:
    ConnectCommand(MappingDocument *document, const MappingState &before, const QString &column, const QString &field,
        QUndoCommand *parent = nullptr);
    int id() const override { return ConnectId; }
};

// "Unmap email → email_address": the field gets no value (and stops being the match key).
class DisconnectCommand : public MappingCommand
{
public:
    DisconnectCommand(
        MappingDocument *document, const MappingState &before, const QString &field, QUndoCommand *parent = nullptr);
    int id() const override { return DisconnectId; }
};

// "Set lifecycle_stage to 'customer'": a constant; consecutive edits of one field merge.
class SetConstantCommand : public MappingCommand
{
public:
    SetConstantCommand(
        MappingDocument *document, const MappingState &before, const QString &field, const QString &value);
    int id() const override { return ConstantId; }
    bool mergeWith(const QUndoCommand *other) override { return mergeSameField(other, m_field); }
};

// "Set full_name to {{first_name}} {{last_name}}": a template; consecutive edits of one field merge.
class SetTemplateCommand : public MappingCommand
{
public:
    SetTemplateCommand(
        MappingDocument *document, const MappingState &before, const QString &field, const QString &text);
    int id() const override { return TemplateId; }
    bool mergeWith(const QUndoCommand *other) override { return mergeSameField(other, m_field); }
};

// "Cast amount as number": the cast of a mapped field; consecutive casts of one field merge.
class SetCastCommand : public MappingCommand
{
public:
    SetCastCommand(MappingDocument *document, const MappingState &before, const QString &field, const QString &cast);
    int id() const override { return CastId; }
    bool mergeWith(const QUndoCommand *other) override { return mergeSameField(other, m_field); }
};

// "Match on email → email_address": the match key, connecting the pair; an empty field clears it.
class SetMatchKeyCommand : public MappingCommand
{
public:
    SetMatchKeyCommand(MappingDocument *document, const MappingState &before, const QString &column,
        const QString &field, QUndoCommand *parent = nullptr);
    int id() const override { return MatchKeyId; }
};

// "Auto-map 4 fields": a macro whose children are the ConnectCommands (and the match key) it chose.
class AutoMapCommand : public MappingCommand
{
public:
    AutoMapCommand(MappingDocument *document, const MappingState &before);
    int id() const override { return AutoMapId; }
    void undo() override { QUndoCommand::undo(); } // children, in reverse
    void redo() override { QUndoCommand::redo(); } // children, in order
    int connected() const { return m_connected; }

private:
    int m_connected = 0;
};

// "Clear the mapping": every connection, constant, template and the match key.
class ClearAllCommand : public MappingCommand
{
public:
    ClearAllCommand(MappingDocument *document, const MappingState &before);
    int id() const override { return ClearId; }
};

// "Rename field plan → plan_name": a field the object does not list (objects accepting any field).
class RenameFieldCommand : public MappingCommand
{
public:
    RenameFieldCommand(
        MappingDocument *document, const MappingState &before, const QString &field, const QString &newName);
    int id() const override { return RenameId; }
};

} // namespace syncline::ui
