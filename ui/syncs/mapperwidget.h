#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QListWidget;
class QScrollArea;
class QToolBar;

namespace syncline::ui {

class MapperCanvas;
class MapperFieldEditor;
class MappingDocument;

// The visual mapper: a toolbar (Auto-map, Undo, Redo, Add constant, Add template, Clear), the
// canvas where columns are dragged onto fields, the selected field's editor with the live
// rendering of the first rows, and the warnings that block running. Edits go to the
// MappingDocument, which the widget does not own unless it created it; a document passed in
// must outlive the widget.
class MapperWidget : public QWidget
{
    Q_OBJECT
public:
    explicit MapperWidget(QWidget *parent = nullptr); // creates and owns its document
    explicit MapperWidget(MappingDocument *document, QWidget *parent = nullptr);
    ~MapperWidget() override;

    MappingDocument *document() const { return m_document; }
    MapperCanvas *canvas() const { return m_canvas; }
    MapperFieldEditor *fieldEditor() const { return m_editor; }
    QListWidget *warningsList() const { return m_warnings; }
    QLabel *statusLabel() const { return m_status; }
    QToolBar *toolBar() const { return m_toolBar; }
    QAction *autoMapAction() const { return m_autoMap; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    QAction *addConstantAction() const { return m_addConstant; }
    QAction *addTemplateAction() const { return m_addTemplate; }
    QAction *clearAction() const { return m_clear; }

    // Scrolls to and selects `field` in the canvas and the editor.
    void selectField(const QString &field);

signals:
    void mappingChanged(); // the document's mapping changed (edit, undo, redo, load)
    void canRunChanged(bool canRun);

private:
    void build();
    void refreshWarnings();
    void addSource(bool asTemplate);
    QString fieldForNewSource() const;

    MappingDocument *m_document;
    bool m_ownsDocument = false;
    QToolBar *m_toolBar = nullptr;
    QAction *m_autoMap = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_addConstant = nullptr;
    QAction *m_addTemplate = nullptr;
    QAction *m_clear = nullptr;
    QScrollArea *m_scroll = nullptr;
    MapperCanvas *m_canvas = nullptr;
    MapperFieldEditor *m_editor = nullptr;
    QListWidget *m_warnings = nullptr;
    QLabel *m_status = nullptr;
    bool m_canRun = true;
};

} // namespace syncline::ui
