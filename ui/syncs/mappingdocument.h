#pragma once

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "engine/warehouse/column.h"
#include "ui/syncs/mappingpreview.h"
#include "ui/syncs/mappingstate.h"
#include "ui/syncs/mappingwarnings.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariantList>

#include <optional>
#include <vector>

class QUndoStack;

namespace syncline::ui {

class ResultModel;

// One model column as the mapper shows it: name, type and the first rows' values.
struct MapperColumn
{
    QString name;
    engine::warehouse::ColumnKind kind = engine::warehouse::ColumnKind::Text;
    QString typeName; // the driver's type name, or the kind's name when the driver gave none
    QStringList samples; // display text of the sample rows (NULL = empty string)
};

// The visual mapper's document: a sync's mapping (column -> field connections, constants,
// templates, casts and the match key) between a model's columns and a destination object's
// fields. Owns no widgets. Every user edit is one QUndoCommand on undoStack(); load() and the
// inputs (columns, samples, object, mode) are not edits and clear nothing but the stack on load.
// Thread: GUI thread (a QObject with an undo stack); everything here is fast (a few sample rows).
class MappingDocument : public QObject
{
    Q_OBJECT
public:
    explicit MappingDocument(QObject *parent = nullptr);
    MappingDocument(const std::vector<engine::warehouse::Column> &columns, const engine::connector::ObjectSpec &object,
        QObject *parent = nullptr);
    ~MappingDocument() override;

    // --- Inputs: what the model and the destination offer (not undoable) ---
    void setColumns(const std::vector<engine::warehouse::Column> &columns);
    // The preview's first rows, cells as the preview table holds them (NULL = QVariant()).
    void setSampleRows(const QList<QVariantList> &rows);
    // Columns and the first `maxRows` rows of a model preview (the Models page's ResultModel).
    void setColumnsFromPreview(const ResultModel *preview, int maxRows = 5);
    void setObject(const engine::connector::ObjectSpec &object);
    void setFields(const std::vector<engine::connector::FieldSpec> &fields); // an object with these fields
    void setPrimaryKey(const QStringList &columns); // the model's key, for the match-key check
    void setMode(engine::SyncMode mode); // update-only syncs need no required fields
    const QStringList &primaryKey() const { return m_primaryKey; }
    engine::SyncMode mode() const { return m_mode; }

    const std::vector<MapperColumn> &columns() const { return m_columns; }
    const std::vector<engine::warehouse::Column> &modelColumns() const { return m_modelColumns; }
    const engine::connector::ObjectSpec &object() const { return m_object; }
    // The object's fields, then (for objects accepting any field) the mapped fields it does not list.
    std::vector<engine::connector::FieldSpec> fields() const;
    std::optional<engine::connector::FieldSpec> field(const QString &name) const;
    int sampleRowCount() const { return m_samples.rowCount(); }

    // --- The engine's mapping definition (SyncDef::matchColumn, matchField, mapping) ---
    void load(const engine::SyncDef &sync); // replaces the mapping and clears the undo stack
    void writeTo(engine::SyncDef &sync) const;
    engine::SyncDef toSync(engine::SyncDef base = {}) const;
    std::vector<engine::MappingEntry> definitionEntries() const { return m_state.definitionEntries(); }
    const MappingState &state() const { return m_state; }

    // --- Reading the mapping ---
    std::optional<engine::MappingEntry> entryFor(const QString &field) const;
    QStringList fieldsFedBy(const QString &column) const { return m_state.fieldsFedBy(column); }
    QString matchColumn() const { return m_state.matchColumn; }
    QString matchField() const { return m_state.matchField; }
    int connectionCount() const { return int(m_state.entries.size()); }
    // The exact JSON each sample row sends for `field` (see FieldPreview).
    FieldPreview preview(const QString &field) const;

    QList<MappingWarning> warnings() const { return m_warnings; }
    QList<MappingWarning> warningsFor(const QString &field) const;
    bool canRun() const; // no severe warning

    // --- Edits: each pushes one command (no-ops push nothing) ---
    void connectColumn(const QString &column, const QString &field);
    void disconnectField(const QString &field);
    void setConstant(const QString &field, const QString &value);
    void setTemplate(const QString &field, const QString &templateText);
    void setCast(const QString &field, const QString &cast);
    void setMatchKey(const QString &column, const QString &field); // empty field: no match key
    // Renames a mapped field the object does not list (objects accepting any field, e.g. a file's
    // column); false when the object lists `field` or `newName` is already mapped.
    bool renameField(const QString &field, const QString &newName);
    int autoMap(); // one undoable step; returns how many fields it connected
    void clearAll();
    QUndoStack *undoStack() const { return m_undo; }

signals:
    void mappingChanged(); // any edit, undo, redo or load
    void inputsChanged(); // columns, samples, object or mode changed
    void warningsChanged(); // warnings() differs from before

private:
    friend class MappingCommand;
    void applyState(const MappingState &state); // used by the undo commands
    void push(class MappingCommand *command);
    void refresh(); // recomputes warnings, drops cached previews
    void rebuildColumns();

    std::vector<engine::warehouse::Column> m_modelColumns;
    QList<QVariantList> m_sampleRows;
    MappingSamples m_samples;
    std::vector<MapperColumn> m_columns;
    engine::connector::ObjectSpec m_object;
    QStringList m_primaryKey;
    engine::SyncMode m_mode = engine::SyncMode::Upsert;
    MappingState m_state;
    QList<MappingWarning> m_warnings;
    mutable QHash<QString, FieldPreview> m_previews;
    QUndoStack *m_undo;
};

} // namespace syncline::ui
