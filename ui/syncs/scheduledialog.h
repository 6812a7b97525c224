#pragma once

#include "ui/syncs/schedulerservices.h"

#include <QDialog>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace syncline::ui {

class WorkspaceService;

// Edits one sync's schedule: the text, its validation error or its next five run times (local
// time, with the zone), the workspace's alert settings, and the checkbox that installs the OS
// scheduler so due syncs also run while the app is closed. Saving writes the sync on the
// workspace thread; installing runs off the GUI thread.
class ScheduleDialog : public QDialog
{
    Q_OBJECT
public:
    ScheduleDialog(WorkspaceService *workspace, SchedulerServices services, const QString &syncName, QWidget *parent = nullptr);

    QLineEdit *scheduleEdit() const { return m_edit; }
    QListWidget *nextRuns() const { return m_next; }
    QLabel *errorLabel() const { return m_error; }
    QCheckBox *keepRunningBox() const { return m_keepRunning; }

signals:
    void saved(const QString &syncName, const QString &schedule);
    void keepRunningChanged(bool ok, const QString &message);

private:
    void refresh();
    void save();
    void setKeepRunning(bool on);

    WorkspaceService *m_workspace;
    SchedulerServices m_services;
    QString m_syncName;
    QLineEdit *m_edit;
    QLabel *m_error;
    QListWidget *m_next;
    QLineEdit *m_alertUrl;
    QDoubleSpinBox *m_alertShare;
    QCheckBox *m_keepRunning;
    QLabel *m_keepRunningNote;
    QPushButton *m_saveButton = nullptr;
};

} // namespace syncline::ui
