#include "ui/syncs/mapperwidget.h"

#include "ui/syncs/mappercanvas.h"
#include "ui/syncs/mapperfieldeditor.h"
#include "ui/syncs/mappingdocument.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::MappingEntry;

MapperWidget::MapperWidget(QWidget *parent)
    : MapperWidget(nullptr, parent)
{ }

MapperWidget::MapperWidget(MappingDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document ? document : new MappingDocument(this))
    , m_ownsDocument(!document)
{
    build();
}

MapperWidget::~MapperWidget()
{
    // Our own document goes first, while the widgets its undo stack's last signals reach still exist.
    if (m_ownsDocument)
        delete m_document;
}

void MapperWidget::build()
{
    m_toolBar = new QToolBar(tr("Mapping"), this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_autoMap = m_toolBar->addAction(tr("Auto-map"));
    m_autoMap->setToolTip(tr("Connect columns and fields with the same or a similar name"));
    m_autoMap->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_toolBar->addSeparator();
    QUndoStack *stack = m_document->undoStack();
    // Short toolbar labels; what would be undone shows in the tooltip ("Undo Map email → email").
    m_undoAction = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Undo"), this);
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = new QAction(style()->standardIcon(QStyle::SP_ArrowForward), tr("Redo"), this);
    m_redoAction->setShortcut(QKeySequence::Redo);
    const auto updateUndoActions = [this, stack] {
        m_undoAction->setEnabled(stack->canUndo());
        m_undoAction->setToolTip(stack->canUndo() ? tr("Undo %1").arg(stack->undoText()) : tr("Nothing to undo"));
        m_redoAction->setEnabled(stack->canRedo());
        m_redoAction->setToolTip(stack->canRedo() ? tr("Redo %1").arg(stack->redoText()) : tr("Nothing to redo"));
    };
    connect(m_undoAction, &QAction::triggered, stack, &QUndoStack::undo);
    connect(m_redoAction, &QAction::triggered, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::indexChanged, this, updateUndoActions);
    connect(stack, &QUndoStack::cleanChanged, this, updateUndoActions);
    connect(stack, &QUndoStack::canUndoChanged, this, updateUndoActions);
    connect(stack, &QUndoStack::canRedoChanged, this, updateUndoActions);
    connect(stack, &QUndoStack::undoTextChanged, this, updateUndoActions);
    connect(stack, &QUndoStack::redoTextChanged, this, updateUndoActions);
    updateUndoActions();
    m_toolBar->addAction(m_undoAction);
    m_toolBar->addAction(m_redoAction);
    m_toolBar->addSeparator();
    m_addConstant = m_toolBar->addAction(tr("Add constant"));
    m_addConstant->setToolTip(tr("Send the same value for every row in the selected (or first unmapped) field"));
    m_addTemplate = m_toolBar->addAction(tr("Add template"));
    m_addTemplate->setToolTip(
        tr("Build the selected (or first unmapped) field from columns, e.g. {{first_name}} {{last_name}}"));
    m_toolBar->addSeparator();
    m_clear = m_toolBar->addAction(tr("Clear"));
    m_clear->setToolTip(tr("Remove every connection, constant and template (undoable)"));
    for (QAction *action : { m_autoMap, m_undoAction, m_redoAction, m_addConstant, m_addTemplate, m_clear }) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }

    m_canvas = new MapperCanvas(m_document, this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_editor = new MapperFieldEditor(m_document, this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_scroll);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    m_status = new QLabel(this);
    m_warnings = new QListWidget(this);
    m_warnings->setAccessibleName(tr("Mapping warnings"));
    m_warnings->setMaximumHeight(96);
    m_status->setContentsMargins(8, 4, 8, 4);
    m_warnings->setToolTip(tr("Double-click a type mismatch to add the suggested cast"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toolBar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_warnings);

    connect(m_autoMap, &QAction::triggered, m_document, &MappingDocument::autoMap);
    connect(m_addConstant, &QAction::triggered, this, [this] { addSource(false); });
    connect(m_addTemplate, &QAction::triggered, this, [this] { addSource(true); });
    connect(m_clear, &QAction::triggered, m_document, &MappingDocument::clearAll);
    connect(m_canvas, &MapperCanvas::fieldSelected, m_editor, &MapperFieldEditor::setField);
    connect(m_editor, &MapperFieldEditor::renamed, this, &MapperWidget::selectField);
    connect(m_document, &MappingDocument::mappingChanged, this, &MapperWidget::mappingChanged);
    connect(m_document, &MappingDocument::mappingChanged, this, &MapperWidget::refreshWarnings);
    connect(m_document, &MappingDocument::inputsChanged, this, &MapperWidget::refreshWarnings);
    connect(m_document, &MappingDocument::warningsChanged, this, &MapperWidget::refreshWarnings);
    connect(m_warnings, &QListWidget::currentRowChanged, this, [this](int row) {
        const QList<MappingWarning> warnings = m_document->warnings();
        if (row >= 0 && row < warnings.size() && !warnings[row].field.isEmpty())
            selectField(warnings[row].field);
    });
    connect(m_warnings, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QList<MappingWarning> warnings = m_document->warnings();
        const int row = m_warnings->row(item);
        if (row >= 0 && row < warnings.size() && !warnings[row].suggestedCast.isEmpty())
            m_document->setCast(warnings[row].field, warnings[row].suggestedCast);
    });
    refreshWarnings();
}

void MapperWidget::selectField(const QString &field)
{
    m_canvas->selectField(field);
    const QRect rect = m_canvas->fieldRect(field);
    if (!rect.isEmpty())
        m_scroll->ensureVisible(rect.center().x(), rect.center().y(), 0, rect.height());
}

void MapperWidget::refreshWarnings()
{
    const QList<MappingWarning> warnings = m_document->warnings();
    m_warnings->clear();
    int blocking = 0;
    for (const MappingWarning &warning : warnings) {
        QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
        if (warning.severity == MappingWarning::Severity::Severe) {
            icon = QStyle::SP_MessageBoxCritical;
            ++blocking;
        } else if (warning.severity == MappingWarning::Severity::Warning) {
            icon = QStyle::SP_MessageBoxWarning;
        }
        QString text = warning.message;
        if (!warning.suggestedCast.isEmpty())
            text += tr(" (double-click to cast as %1)").arg(warning.suggestedCast);
        new QListWidgetItem(style()->standardIcon(icon), text, m_warnings);
    }
    m_warnings->setVisible(!warnings.isEmpty());
    if (m_document->connectionCount() == 0)
        m_status->setText(tr("Drag a column onto a field, or press Auto-map."));
    else if (blocking > 0)
        m_status->setText(blocking == 1 ? tr("1 problem must be fixed before this sync can run.")
                                        : tr("%1 problems must be fixed before this sync can run.").arg(blocking));
    else
        m_status->setText(m_document->connectionCount() == 1
                ? tr("1 field mapped; ready to preview.")
                : tr("%1 fields mapped; ready to preview.").arg(m_document->connectionCount()));
    const bool canRun = m_document->canRun();
    if (canRun != m_canRun) {
        m_canRun = canRun;
        emit canRunChanged(canRun);
    }
}

QString MapperWidget::fieldForNewSource() const
{
    if (!m_canvas->selectedField().isEmpty())
        return m_canvas->selectedField();
    for (const auto &spec : m_document->fields()) {
        if (!spec.readOnly && !m_document->entryFor(spec.name))
            return spec.name;
    }
    if (!m_document->object().acceptsAnyField)
        return {};
    QString name = QStringLiteral("new_field");
    for (int n = 2; m_document->entryFor(name); ++n)
        name = QStringLiteral("new_field_%1").arg(n);
    return name;
}

void MapperWidget::addSource(bool asTemplate)
{
    const QString field = fieldForNewSource();
    if (field.isEmpty())
        return;
    const std::optional<MappingEntry> entry = m_document->entryFor(field);
    if (asTemplate) {
        QString text;
        if (entry && entry->kind == MappingEntry::SourceKind::Column)
            text = QStringLiteral("{{%1}}").arg(entry->column);
        else if (!m_document->columns().empty())
            text = QStringLiteral("{{%1}}").arg(m_document->columns().front().name);
        m_document->setTemplate(field, text);
    } else {
        m_document->setConstant(field, QString());
    }
    selectField(field);
    m_editor->textEdit()->setFocus();
    m_editor->textEdit()->selectAll();
}

} // namespace syncline::ui
