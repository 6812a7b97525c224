#pragma once

#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"
#include "ui/services/secretwriter.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace syncline::ui {

class ConnectionDialog;
class WorkspaceService;

// Sources: the workspace's warehouse connections. Add or edit one in the connection dialog;
// its password goes to the keychain and the source keeps only a reference to it.
class SourcesPage : public QWidget
{
    Q_OBJECT
public:
    SourcesPage(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets,
                std::shared_ptr<SecretWriter> secretWriter, QWidget *parent = nullptr);

    void reload();
    // Opens the dialog (non-modal in tests via `dialog()`); edits `name` when given.
    ConnectionDialog *openDialog(const QString &name = {});
    void saveFromDialog(ConnectionDialog *dialog);
    static QString keychainName(const QString &workspacePath, const QString &sourceName);

    QTreeWidget *list() const { return m_list; }
    QString message() const;

signals:
    void saved(const QString &name);

private:
    void remove();
    void showMessage(const QString &text);

    WorkspaceService *m_workspace;
    std::shared_ptr<engine::SecretResolver> m_secrets;
    std::shared_ptr<SecretWriter> m_secretWriter;
    std::vector<engine::SourceDef> m_sources;
    QTreeWidget *m_list = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace syncline::ui
