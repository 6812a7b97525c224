#pragma once

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "ui/destinations/destinationdiscovery.h"
#include "ui/syncs/schedulerservices.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace syncline::ui {

class DiffPreviewPanel;
class MapperWidget;
class ModelSample;
class ObjectPicker;
class WorkspaceService;

// Edits one sync: model, destination, object (from the destination's discovery), mode, match key
// (the model's key columns and the object's identifier fields first), what to do with removed
// rows, guardrails and the schedule. Save stores it through the engine's DefinitionStore, so a
// refusal reads exactly as the YAML import's. Tabs after the first hold the mapping and the preview.
class SyncEditor : public QWidget
{
    Q_OBJECT
public:
    SyncEditor(WorkspaceService *workspace, ConnectorAccess access, SchedulerServices scheduler, QWidget *parent = nullptr);

    void newSync();
    void openSync(const QString &name);
    void save();
    engine::SyncDef sync() const; // what the editor holds now
    QString savedName() const { return m_savedName; }

    // The mapping this editor saves: the mapper's document (undoable edits) holds it.
    void setMapping(std::vector<engine::MappingEntry> mapping);
    std::vector<engine::MappingEntry> mapping() const { return sync().mapping; }
    MapperWidget *mapper() const { return m_mapper; }
    DiffPreviewPanel *previewPanel() const { return m_preview; }
    // Saves, then plans the sync in the Preview & Send tab (what opening that tab does).
    void previewNow();

    // The chosen model's columns and first rows, and the chosen object's fields, once known.
    ModelSample *modelSample() const { return m_sample; }
    const std::optional<engine::connector::ObjectSpec> &objectSpec() const;
    std::optional<engine::DestinationDef> destinationDef() const;
    bool isBusy() const; // definitions, the sample or discovery still loading

    QTabWidget *tabs() const { return m_tabs; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *modelCombo() const { return m_model; }
    QComboBox *destinationCombo() const { return m_destination; }
    ObjectPicker *objectPicker() const { return m_object; }
    QComboBox *modeCombo() const { return m_mode; }
    QComboBox *matchColumnCombo() const { return m_matchColumn; }
    QComboBox *matchFieldCombo() const { return m_matchField; }
    QComboBox *removedCombo() const { return m_removed; }
    QDoubleSpinBox *maxRemovedSpin() const { return m_maxRemoved; }
    QCheckBox *stopOnEmptyBox() const { return m_stopOnEmpty; }
    QLineEdit *scheduleEdit() const { return m_schedule; }
    QPushButton *saveButton() const { return m_save; }
    QString message() const;
    bool messageIsProblem() const { return m_problem; }

signals:
    void saved(const QString &name);
    void definitionsLoaded();
    void sampleChanged();                                               // columns and rows of the model
    void objectSpecChanged(const engine::connector::ObjectSpec &spec); // fields of the object
    void runFinished(const QString &syncName, qint64 runId);           // a send from the preview ended

private:
    struct Lists
    {
        std::vector<engine::SourceDef> sources;
        std::vector<engine::ModelDef> models;
        std::vector<engine::DestinationDef> destinations;
    };
    QWidget *buildSettingsTab();
    void connectMapper();
    void matchKeyEdited();
    QString shownMatchField() const;
    void showMatchKeyOf(const engine::SyncDef &sync);
    void loadLists(std::function<void()> then);
    void apply(const engine::SyncDef &sync);
    void modelChanged();
    void destinationChanged();
    void fillMatchColumns();
    void fillMatchFields();
    void checkSchedule();
    void editSchedule();
    void showMessage(const QString &text, bool problem);

    WorkspaceService *m_workspace;
    ConnectorAccess m_access;
    SchedulerServices m_scheduler;
    Lists m_lists;
    int m_listsPending = 0;
    QString m_savedName;
    engine::SyncDef m_loaded; // the opened sync: keys the form does not show survive a save
    std::function<void()> m_afterSave;
    ModelSample *m_sample = nullptr;

    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_model = nullptr;
    QComboBox *m_destination = nullptr;
    ObjectPicker *m_object = nullptr;
    QLabel *m_sampleStatus = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_matchColumn = nullptr;
    QComboBox *m_matchField = nullptr;
    QComboBox *m_removed = nullptr;
    QDoubleSpinBox *m_maxRemoved = nullptr;
    QCheckBox *m_stopOnEmpty = nullptr;
    QLineEdit *m_schedule = nullptr;
    QLabel *m_scheduleProblem = nullptr;
    QPushButton *m_scheduleButton = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_message = nullptr;
    bool m_problem = false;
    MapperWidget *m_mapper = nullptr;
    DiffPreviewPanel *m_preview = nullptr;
};

} // namespace syncline::ui
