#pragma once

#include "engine/definitions/definitions.h"
#include "ui/destinations/destinationdiscovery.h"
#include "ui/services/secretwriter.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace syncline::ui {

class DestinationDialog;
class WorkspaceService;

// Destinations: the workspace's configured connectors. Add or edit one in a form generated from
// its type's settings schema; its secrets go to the keychain and the destination keeps only
// references to them.
class DestinationsPage : public QWidget
{
    Q_OBJECT
public:
    DestinationsPage(WorkspaceService *workspace, ConnectorAccess access, std::shared_ptr<SecretWriter> secretWriter,
                     QWidget *parent = nullptr);

    void reload();
    DestinationDialog *openDialog(const QString &name = {});
    void saveFromDialog(DestinationDialog *dialog);
    static QString keychainName(const QString &workspacePath, const QString &destination, const QString &key);

    QTreeWidget *list() const { return m_list; }
    QString message() const;
    const std::vector<engine::DestinationDef> &destinations() const { return m_destinations; }

signals:
    void saved(const QString &name);

private:
    void remove();
    void showMessage(const QString &text);
    void storeSecrets(engine::DestinationDef destination, QMap<QString, QString> typed);
    void write(const engine::DestinationDef &destination);

    WorkspaceService *m_workspace;
    ConnectorAccess m_access;
    std::shared_ptr<SecretWriter> m_secretWriter;
    std::vector<engine::DestinationDef> m_destinations;
    QTreeWidget *m_list = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace syncline::ui
