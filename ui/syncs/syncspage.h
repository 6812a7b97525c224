#pragma once

#include "ui/destinations/destinationdiscovery.h"
#include "ui/syncs/schedulerservices.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace syncline::ui {

class SyncEditor;
class WorkspaceService;

// Syncs: the workspace's syncs on the left, the selected one in the sync editor on the right.
class SyncsPage : public QWidget
{
    Q_OBJECT
public:
    SyncsPage(WorkspaceService *workspace, ConnectorAccess access, SchedulerServices scheduler, QWidget *parent = nullptr);

    void reload();
    void newSync();
    void openSync(const QString &name);
    QTreeWidget *list() const { return m_list; }
    SyncEditor *editor() const { return m_editor; }
    QString message() const;

private:
    void remove();

    WorkspaceService *m_workspace;
    QTreeWidget *m_list = nullptr;
    SyncEditor *m_editor = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace syncline::ui
