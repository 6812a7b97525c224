#pragma once

#include "engine/core/error.h"
#include "engine/secrets/secretresolver.h"
#include "ui/secretwriter.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QListWidget;
class QMenu;
class QStackedWidget;

namespace syncline::ui {

class DefinitionListPage;
class ModelsPage;
class SourcesPage;
class WelcomePage;
class WorkspaceService;

// What the shell needs from the composition root.
struct MainWindowServices
{
    std::shared_ptr<engine::SecretResolver> secrets;
    std::shared_ptr<SecretWriter> secretWriter;
    // Creates the demo workspace at the given path (runs on the workspace thread).
    std::function<engine::Result<void>(const QString &path)> createDemoWorkspace;
};

// The application shell: a sidebar that routes to one widget per feature, the File and Help
// menus, and the status bar. Everything else lives in the pages.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Page { Welcome, Sources, Models, Destinations, Syncs, Runs };

    explicit MainWindow(MainWindowServices services, QWidget *parent = nullptr);

    // Opens the last workspace, or on first start creates the demo workspace and shows the welcome page.
    void openInitialWorkspace();
    void openWorkspace(const QString &path);
    void showPage(Page page);
    Page currentPage() const;

    WorkspaceService *workspace() const { return m_workspace; }
    WelcomePage *welcomePage() const { return m_welcome; }
    SourcesPage *sourcesPage() const { return m_sources; }
    ModelsPage *modelsPage() const { return m_models; }

signals:
    void workspaceReady(const QString &path);

private:
    void buildMenus();
    void rebuildRecentMenu();
    void rememberRecent(const QString &path);
    void newWorkspace();
    void openWorkspaceDialog();
    void about();

    MainWindowServices m_services;
    WorkspaceService *m_workspace = nullptr;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    QMenu *m_recentMenu = nullptr;
    WelcomePage *m_welcome = nullptr;
    SourcesPage *m_sources = nullptr;
    ModelsPage *m_models = nullptr;
    DefinitionListPage *m_destinations = nullptr;
    DefinitionListPage *m_syncs = nullptr;
};

} // namespace syncline::ui
