#include "ui/syncs/synceditor.h"

#include "engine/schedule/schedule.h"
#include "engine/state/definitionstore.h"
#include "ui/destinations/objectpicker.h"
#include "ui/services/workspaceservice.h"
#include "ui/syncs/diffpreviewpanel.h"
#include "ui/syncs/mapperwidget.h"
#include "ui/syncs/mappingdocument.h"
#include "ui/syncs/modelsample.h"
#include "ui/syncs/scheduledialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::DestinationDef;
using engine::ModelDef;
using engine::RemovedRowAction;
using engine::Result;
using engine::SyncDef;
using engine::SyncMode;
using engine::connector::FieldSpec;
using engine::connector::ObjectSpec;
using engine::state::DefinitionStore;
using engine::state::Workspace;

namespace {

struct ModeChoice
{
    SyncMode mode;
    const char *text;
};

const ModeChoice kModes[] = {
    {SyncMode::Upsert, QT_TRANSLATE_NOOP("syncline::ui::SyncEditor", "Upsert: add new records, update existing ones")},
    {SyncMode::UpdateOnly, QT_TRANSLATE_NOOP("syncline::ui::SyncEditor", "Update: only change records that exist")},
    {SyncMode::InsertOnly, QT_TRANSLATE_NOOP("syncline::ui::SyncEditor", "Insert: only add new records")},
    {SyncMode::Mirror, QT_TRANSLATE_NOOP("syncline::ui::SyncEditor", "Mirror: add, update, and delete what left the model")},
    {SyncMode::All, QT_TRANSLATE_NOOP("syncline::ui::SyncEditor", "All: send every row on every run")},
};

void selectData(QComboBox *combo, const QString &data)
{
    const int index = combo->findData(data);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

SyncEditor::SyncEditor(WorkspaceService *workspace, ConnectorAccess access, SchedulerServices scheduler, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_access(std::move(access))
    , m_scheduler(std::move(scheduler))
    , m_sample(new ModelSample(m_access.secrets, this))
    , m_tabs(new QTabWidget(this))
{
    m_tabs->addTab(buildSettingsTab(), tr("Sync"));
    m_mapper = new MapperWidget(this);
    m_tabs->addTab(m_mapper, tr("Mapping"));
    m_preview = new DiffPreviewPanel(m_workspace, m_access.secrets, this);
    m_tabs->addTab(m_preview, tr("Preview && Send"));
    connectMapper();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    connect(m_sample, &ModelSample::ready, this, [this] {
        m_sampleStatus->setText(tr("Columns: %1.").arg(m_sample->columns().size()));
        fillMatchColumns();
        emit sampleChanged();
    });
    connect(m_sample, &ModelSample::failed, this, [this](const QString &message) {
        m_sampleStatus->setText(tr("Could not read the model: %1").arg(message));
        emit sampleChanged();
    });
    connect(m_object, &ObjectPicker::specReady, this, [this](const ObjectSpec &spec) {
        fillMatchFields();
        emit objectSpecChanged(spec);
    });
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, [this] { loadLists({}); });
}

QWidget *SyncEditor::buildSettingsTab()
{
    auto *page = new QWidget;
    m_name = new QLineEdit(page);
    m_name->setPlaceholderText(tr("e.g. customers-to-crm"));
    m_model = new QComboBox(page);
    m_sampleStatus = new QLabel(page);
    m_sampleStatus->setForegroundRole(QPalette::PlaceholderText);
    m_destination = new QComboBox(page);
    m_object = new ObjectPicker(m_access, page);
    m_mode = new QComboBox(page);
    for (const ModeChoice &choice : kModes)
        m_mode->addItem(tr(choice.text), engine::syncModeName(choice.mode));
    m_matchColumn = new QComboBox(page);
    m_matchColumn->setEditable(true);
    m_matchColumn->setInsertPolicy(QComboBox::NoInsert);
    m_matchField = new QComboBox(page);
    m_matchField->setEditable(true);
    m_matchField->setInsertPolicy(QComboBox::NoInsert);
    m_removed = new QComboBox(page);
    m_removed->addItem(tr("The mode's default (mirror deletes, the others leave them)"), QString());
    m_removed->addItem(tr("Leave them in the destination"), engine::removedRowActionName(RemovedRowAction::Ignore));
    m_removed->addItem(tr("Clear the mapped fields"), engine::removedRowActionName(RemovedRowAction::Clear));
    m_removed->addItem(tr("Delete them from the destination"), engine::removedRowActionName(RemovedRowAction::Delete));
    m_maxRemoved = new QDoubleSpinBox(page);
    m_maxRemoved->setRange(0, 100);
    m_maxRemoved->setSuffix(tr(" %"));
    m_maxRemoved->setDecimals(1);
    m_stopOnEmpty = new QCheckBox(tr("Stop when the model returns no rows"), page);
    m_stopOnEmpty->setToolTip(tr("A model that suddenly returns nothing, after records were delivered, is more often a "
                                 "broken query than an empty table: the run stops instead of removing everything."));
    m_schedule = new QLineEdit(page);
    m_schedule->setPlaceholderText(tr("manual"));
    m_schedule->setToolTip(tr("One of: %1").arg(engine::schedule::Schedule::formsHint()));
    m_scheduleProblem = new QLabel(page);
    m_scheduleProblem->setWordWrap(true);
    m_scheduleProblem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_scheduleProblem->hide();
    m_scheduleButton = new QPushButton(tr("Schedule and alerts…"), page);
    m_save = new QPushButton(tr("Save"), page);
    m_save->setDefault(true);
    m_message = new QLabel(page);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *what = new QGroupBox(tr("What goes where"), page);
    auto *whatForm = new QFormLayout(what);
    whatForm->addRow(tr("Name:"), m_name);
    whatForm->addRow(tr("Model:"), m_model);
    whatForm->addRow(QString(), m_sampleStatus);
    whatForm->addRow(tr("Destination:"), m_destination);
    whatForm->addRow(tr("Object:"), m_object);
    auto *how = new QGroupBox(tr("How records are matched and sent"), page);
    auto *howForm = new QFormLayout(how);
    howForm->addRow(tr("Mode:"), m_mode);
    auto *match = new QHBoxLayout;
    match->addWidget(m_matchColumn, 1);
    match->addWidget(new QLabel(QStringLiteral("→"), page));
    match->addWidget(m_matchField, 1);
    howForm->addRow(tr("Match key:"), match);
    howForm->addRow(tr("Removed rows:"), m_removed);
    auto *safety = new QGroupBox(tr("Guardrails"), page);
    auto *safetyForm = new QFormLayout(safety);
    safetyForm->addRow(tr("Stop when a run would remove more than:"), m_maxRemoved);
    safetyForm->addRow(QString(), m_stopOnEmpty);
    auto *when = new QGroupBox(tr("When it runs"), page);
    auto *whenForm = new QFormLayout(when);
    auto *scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(m_schedule, 1);
    scheduleRow->addWidget(m_scheduleButton);
    whenForm->addRow(tr("Schedule:"), scheduleRow);
    whenForm->addRow(QString(), m_scheduleProblem);

    auto *inner = new QWidget;
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->addWidget(what);
    innerLayout->addWidget(how);
    innerLayout->addWidget(safety);
    innerLayout->addWidget(when);
    innerLayout->addStretch();
    // Long choices (modes, removed rows) may not widen the form past the editor.
    for (QComboBox *combo : {m_model, m_destination, m_mode, m_matchColumn, m_matchField, m_removed}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
    }
    auto *scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(inner);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(m_save);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);

    connect(m_model, &QComboBox::currentIndexChanged, this, &SyncEditor::modelChanged);
    connect(m_destination, &QComboBox::currentIndexChanged, this, &SyncEditor::destinationChanged);
    connect(m_schedule, &QLineEdit::textChanged, this, &SyncEditor::checkSchedule);
    connect(m_scheduleButton, &QPushButton::clicked, this, &SyncEditor::editSchedule);
    connect(m_save, &QPushButton::clicked, this, &SyncEditor::save);
    return page;
}

void SyncEditor::loadLists(std::function<void()> then)
{
    ++m_listsPending;
    m_workspace->call<Result<Lists>>(
        this,
        [](Workspace &workspace) -> Result<Lists> {
            DefinitionStore store(workspace);
            Lists lists;
            auto sources = store.sources();
            auto models = store.models();
            auto destinations = store.destinations();
            if (!sources || !models || !destinations)
                return std::unexpected(!sources ? sources.error() : !models ? models.error() : destinations.error());
            return Lists{*sources, *models, *destinations};
        },
        [this, then](Result<Lists> lists) {
            --m_listsPending;
            if (!lists)
                return showMessage(lists.error().message, true);
            m_lists = *lists;
            const QString model = m_model->currentText();
            const QString destination = m_destination->currentText();
            {
                const QSignalBlocker blockModel(m_model);
                const QSignalBlocker blockDestination(m_destination);
                m_model->clear();
                for (const ModelDef &def : m_lists.models)
                    m_model->addItem(def.name);
                m_destination->clear();
                for (const DestinationDef &def : m_lists.destinations)
                    m_destination->addItem(def.name);
                m_model->setCurrentIndex(m_model->findText(model));
                m_destination->setCurrentIndex(m_destination->findText(destination));
            }
            if (then)
                then();
            else
                destinationChanged(); // a destination's settings may have changed
            emit definitionsLoaded();
        });
}

void SyncEditor::newSync()
{
    SyncDef fresh;
    fresh.guardrails = engine::Guardrails{};
    m_savedName.clear();
    m_name->setReadOnly(false);
    loadLists([this, fresh] {
        apply(fresh);
        if (m_model->count() > 0)
            m_model->setCurrentIndex(0);
        if (m_destination->count() > 0)
            m_destination->setCurrentIndex(0);
    });
}

void SyncEditor::openSync(const QString &name)
{
    loadLists([this, name] {
        m_workspace->call<Result<std::optional<SyncDef>>>(
            this, [name](Workspace &workspace) { return DefinitionStore(workspace).sync(name); },
            [this, name](Result<std::optional<SyncDef>> sync) {
                if (!sync || !*sync)
                    return showMessage(sync ? tr("The sync \"%1\" no longer exists.").arg(name) : sync.error().message, true);
                m_savedName = name;
                m_name->setReadOnly(true); // runs and the ledger refer to it by name
                apply(**sync);
            });
    });
}

void SyncEditor::apply(const SyncDef &sync)
{
    m_loaded = sync;
    m_message->hide();
    m_name->setText(sync.name);
    m_matchColumn->clear();
    m_matchColumn->setEditText(sync.matchColumn);
    m_matchField->clear();
    m_matchField->setEditText(sync.matchField);
    m_model->setCurrentIndex(m_model->findText(sync.model));
    m_destination->setCurrentIndex(m_destination->findText(sync.destination));
    modelChanged();
    destinationChanged();
    m_object->setObject(sync.object);
    selectData(m_mode, engine::syncModeName(sync.mode));
    selectData(m_removed, sync.onRemoved ? engine::removedRowActionName(*sync.onRemoved) : QString());
    m_maxRemoved->setValue(sync.guardrails.maxRemovedShare * 100.0);
    m_stopOnEmpty->setChecked(sync.guardrails.stopOnEmptyModel);
    m_schedule->setText(sync.schedule);
    m_scheduleButton->setEnabled(!m_savedName.isEmpty());
    fillMatchColumns();
    fillMatchFields();
    m_mapper->document()->setMode(sync.mode);
    m_mapper->document()->load(sync);
    if (!m_savedName.isEmpty())
        m_preview->setSync(m_savedName);
}

SyncDef SyncEditor::sync() const
{
    SyncDef sync;
    sync.changeDetection = m_loaded.changeDetection; // YAML-only keys
    sync.extractConnections = m_loaded.extractConnections;
    sync.name = m_name->text().trimmed();
    sync.model = m_model->currentText();
    sync.destination = m_destination->currentText();
    sync.object = m_object->object();
    sync.mode = engine::syncModeFromName(m_mode->currentData().toString()).value_or(SyncMode::Upsert);
    if (const QString removed = m_removed->currentData().toString(); !removed.isEmpty())
        sync.onRemoved = engine::removedRowActionFromName(removed);
    sync.matchColumn = m_matchColumn->currentText().trimmed();
    sync.matchField = shownMatchField();
    const auto schedule = engine::schedule::Schedule::parse(m_schedule->text());
    sync.schedule = schedule && schedule->kind() != engine::schedule::Schedule::Kind::Manual ? schedule->text()
                                                                                             : m_schedule->text().trimmed();
    if (sync.schedule == QLatin1String("manual"))
        sync.schedule.clear();
    sync.guardrails.maxRemovedShare = m_maxRemoved->value() / 100.0;
    sync.guardrails.stopOnEmptyModel = m_stopOnEmpty->isChecked();
    // The mapping and the match key as the mapper holds them; a half-filled key on the form stays
    // as typed, so Save shows the engine's message about it.
    const QString column = sync.matchColumn;
    const QString field = sync.matchField;
    m_mapper->document()->writeTo(sync);
    if (column.isEmpty() != field.isEmpty()) {
        sync.matchColumn = column;
        sync.matchField = field;
    }
    return sync;
}

void SyncEditor::setMapping(std::vector<engine::MappingEntry> mapping)
{
    SyncDef def = sync();
    def.mapping = std::move(mapping);
    m_mapper->document()->load(def);
}

void SyncEditor::connectMapper()
{
    MappingDocument *document = m_mapper->document();
    connect(this, &SyncEditor::sampleChanged, document, [this, document] {
        document->setColumns(m_sample->columns());
        QList<QVariantList> rows;
        for (const PreviewRow &row : m_sample->rows())
            rows << QVariantList(row.begin(), row.end());
        document->setSampleRows(rows);
        for (const ModelDef &model : m_lists.models)
            if (model.name == m_model->currentText())
                document->setPrimaryKey(model.primaryKey);
    });
    connect(this, &SyncEditor::objectSpecChanged, document, &MappingDocument::setObject);
    connect(m_mode, &QComboBox::currentIndexChanged, document, [this, document] {
        document->setMode(engine::syncModeFromName(m_mode->currentData().toString()).value_or(SyncMode::Upsert));
    });
    // The match key is edited in both places; the document holds it.
    connect(document, &MappingDocument::mappingChanged, this, [this, document] {
        if (document->matchColumn().isEmpty() && document->matchField().isEmpty())
            return;
        SyncDef shown;
        shown.matchColumn = document->matchColumn();
        shown.matchField = document->matchField();
        showMatchKeyOf(shown);
    });
    connect(m_matchColumn, &QComboBox::activated, this, &SyncEditor::matchKeyEdited);
    connect(m_matchField, &QComboBox::activated, this, &SyncEditor::matchKeyEdited);
    connect(m_matchColumn->lineEdit(), &QLineEdit::editingFinished, this, &SyncEditor::matchKeyEdited);
    connect(m_matchField->lineEdit(), &QLineEdit::editingFinished, this, &SyncEditor::matchKeyEdited);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_preview)
            previewNow();
    });
    connect(m_preview, &DiffPreviewPanel::sent, this, [this](qint64 runId) { emit runFinished(m_preview->syncName(), runId); });
}

void SyncEditor::matchKeyEdited()
{
    SyncDef form;
    form.matchColumn = m_matchColumn->currentText().trimmed();
    form.matchField = shownMatchField();
    MappingDocument *document = m_mapper->document();
    if (form.matchColumn.isEmpty() || form.matchField.isEmpty())
        return;
    if (form.matchColumn != document->matchColumn() || form.matchField != document->matchField())
        document->setMatchKey(form.matchColumn, form.matchField);
}

// The field as shown may carry the "(identifier)" mark; such an item's data is the field's name.
QString SyncEditor::shownMatchField() const
{
    const int index = m_matchField->findText(m_matchField->currentText());
    const QVariant data = index >= 0 ? m_matchField->itemData(index) : QVariant();
    return data.isValid() ? data.toString() : m_matchField->currentText().trimmed();
}

void SyncEditor::showMatchKeyOf(const SyncDef &sync)
{
    const QSignalBlocker blockColumn(m_matchColumn);
    const QSignalBlocker blockField(m_matchField);
    m_matchColumn->setEditText(sync.matchColumn);
    const int index = m_matchField->findData(sync.matchField);
    if (index >= 0)
        m_matchField->setCurrentIndex(index);
    else
        m_matchField->setEditText(sync.matchField);
}

void SyncEditor::previewNow()
{
    if (!m_mapper->document()->canRun()) {
        m_tabs->setCurrentWidget(m_mapper);
        return showMessage(tr("The mapping has problems to fix before a preview; they are listed under the mapper."), true);
    }
    m_afterSave = [this] {
        m_preview->setSync(m_savedName);
        m_preview->preview();
    };
    save();
}

const std::optional<ObjectSpec> &SyncEditor::objectSpec() const
{
    return m_object->spec();
}

std::optional<DestinationDef> SyncEditor::destinationDef() const
{
    for (const DestinationDef &def : m_lists.destinations)
        if (def.name == m_destination->currentText())
            return def;
    return std::nullopt;
}

bool SyncEditor::isBusy() const
{
    return m_listsPending > 0 || m_sample->isRunning() || m_object->isLoading();
}

void SyncEditor::modelChanged()
{
    const QString name = m_model->currentText();
    const auto model = std::find_if(m_lists.models.begin(), m_lists.models.end(), [&](const ModelDef &m) { return m.name == name; });
    if (model == m_lists.models.end()) {
        m_sample->clear();
        m_sampleStatus->clear();
        fillMatchColumns();
        return;
    }
    const auto source = std::find_if(m_lists.sources.begin(), m_lists.sources.end(),
                                     [&](const engine::SourceDef &s) { return s.name == model->source; });
    if (source == m_lists.sources.end()) {
        m_sample->clear();
        m_sampleStatus->setText(tr("The model's source \"%1\" is missing.").arg(model->source));
        return;
    }
    m_sampleStatus->setText(tr("Reading the model's first rows…"));
    m_sample->run(*model, *source);
    fillMatchColumns();
}

void SyncEditor::destinationChanged()
{
    m_object->setDestination(destinationDef());
}

// The model's key columns first, then its other columns; the saved choice stays when unknown.
void SyncEditor::fillMatchColumns()
{
    const QString current = m_matchColumn->currentText();
    QStringList names;
    for (const ModelDef &model : m_lists.models)
        if (model.name == m_model->currentText())
            names = model.primaryKey;
    for (const auto &column : m_sample->columns())
        if (!names.contains(column.name))
            names << column.name;
    m_matchColumn->clear();
    m_matchColumn->addItems(names);
    m_matchColumn->setEditText(current.isEmpty() ? names.value(0) : current);
}

// The object's identifier fields first (marked), then the rest it offers.
void SyncEditor::fillMatchFields()
{
    const QString current = shownMatchField();
    m_matchField->clear();
    if (const auto &spec = m_object->spec()) {
        std::vector<FieldSpec> fields = spec->fields;
        std::stable_partition(fields.begin(), fields.end(), [](const FieldSpec &f) { return f.identifier; });
        for (const FieldSpec &field : fields) {
            if (field.readOnly && !field.identifier)
                continue;
            m_matchField->addItem(field.identifier ? tr("%1 (identifier)").arg(field.name) : field.name, field.name);
        }
    }
    const int index = m_matchField->findData(current);
    if (index >= 0)
        m_matchField->setCurrentIndex(index);
    else
        m_matchField->setEditText(current.isEmpty() && m_matchField->count() > 0 ? m_matchField->itemData(0).toString() : current);
}

void SyncEditor::checkSchedule()
{
    const auto schedule = engine::schedule::Schedule::parse(m_schedule->text());
    m_scheduleProblem->setText(schedule ? QString() : schedule.error().message);
    m_scheduleProblem->setVisible(!schedule);
}

void SyncEditor::editSchedule()
{
    if (m_savedName.isEmpty())
        return;
    auto *dialog = new ScheduleDialog(m_workspace, m_scheduler, m_savedName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ScheduleDialog::saved, this, [this](const QString &name, const QString &schedule) {
        m_schedule->setText(schedule == QLatin1String("manual") ? QString() : schedule);
        emit saved(name);
    });
    dialog->open();
}

void SyncEditor::save()
{
    matchKeyEdited(); // a key typed but not confirmed yet
    const SyncDef toSave = sync();
    if (const auto schedule = engine::schedule::Schedule::parse(m_schedule->text()); !schedule) {
        m_afterSave = nullptr;
        m_tabs->setCurrentIndex(0);
        return showMessage(tr("sync '%1': %2").arg(toSave.name, schedule.error().message), true);
    }
    m_save->setEnabled(false);
    m_workspace->call<Result<void>>(
        this, [toSave](Workspace &workspace) { return DefinitionStore(workspace).saveSync(toSave); },
        [this, name = toSave.name](Result<void> result) {
            m_save->setEnabled(true);
            auto then = std::exchange(m_afterSave, nullptr);
            if (!result) {
                m_tabs->setCurrentIndex(0); // where the message is
                return showMessage(result.error().message, true);
            }
            m_savedName = name;
            m_name->setReadOnly(true);
            m_scheduleButton->setEnabled(true);
            showMessage(tr("Saved sync \"%1\".").arg(name), false);
            m_workspace->notifyChanged();
            emit saved(name);
            if (then)
                then();
        });
}

void SyncEditor::showMessage(const QString &text, bool problem)
{
    m_problem = problem;
    m_message->setText(text);
    m_message->setStyleSheet(problem ? QStringLiteral("color: #b00020") : QString());
    m_message->show();
}

QString SyncEditor::message() const
{
    return m_message->isVisibleTo(this) ? m_message->text() : QString();
}

} // namespace syncline::ui
