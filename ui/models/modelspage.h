#pragma once

#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"
#include "ui/sources/sourceconnection.h"

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace syncline::ui {

class CatalogBrowser;
class KeyPanel;
class PreviewPanel;
class SqlEditor;
class WorkspaceService;

// Models: write SQL against a source (completion from its catalog), preview it, pick and check
// the primary key, save it as a ModelDef. Saved models are listed on the left.
class ModelsPage : public QWidget
{
    Q_OBJECT
public:
    ModelsPage(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets, QWidget *parent = nullptr);

    void reload();
    void openModel(const QString &name);
    void newModel(const QString &sql = {});
    void preview();
    void checkKey();
    void save();

    SqlEditor *editor() const { return m_editor; }
    PreviewPanel *previewPanel() const { return m_preview; }
    KeyPanel *keyPanel() const { return m_keys; }
    CatalogBrowser *catalogBrowser() const { return m_catalog; }
    QListWidget *modelList() const { return m_models; }
    QComboBox *sourceCombo() const { return m_source; }
    QLineEdit *nameEdit() const { return m_name; }
    QPushButton *previewButton() const { return m_previewButton; }
    QString message() const;

signals:
    void saved(const QString &name);

private:
    void sourceChanged();
    std::optional<ConnectionOpener> opener();
    void showMessage(const QString &text);

    WorkspaceService *m_workspace;
    std::shared_ptr<engine::SecretResolver> m_secrets;
    std::vector<engine::SourceDef> m_sources;
    QString m_pendingModel; // opened before the definitions arrived

    QListWidget *m_models = nullptr;
    CatalogBrowser *m_catalog = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QLabel *m_message = nullptr;
    SqlEditor *m_editor = nullptr;
    PreviewPanel *m_preview = nullptr;
    KeyPanel *m_keys = nullptr;
};

} // namespace syncline::ui
