#pragma once

#include "engine/core/error.h"
#include "engine/secrets/secretresolver.h"
#include "ui/syncs/schedulerservices.h"
#include "ui/services/secretwriter.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QListWidget;
class QMenu;
class QStackedWidget;

namespace syncline::ui {

class DefinitionListPage;
class RunAlerts;
class SchedulerTray;
class SyncScheduler;
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
    // Scheduled runs in the background, the tray and the schedule dialog; no scheduler without runIfDue.
    SchedulerServices scheduler = {};
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
    SyncScheduler *scheduler() const { return m_scheduler; }
    // Opens the schedule dialog of a sync (also the Syncs page's "Schedule…" button).
    void editSchedule(const QString &syncName);

signals:
    void workspaceReady(const QString &path);

protected:
    // With a tray icon, closing the window minimises to the tray and scheduled syncs keep running.
    void closeEvent(QCloseEvent *event) override;

private:
    void setUpScheduling();
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
    DefinitionListPage *m_runs = nullptr;
    SyncScheduler *m_scheduler = nullptr;
    SchedulerTray *m_tray = nullptr;
    RunAlerts *m_alerts = nullptr;
    bool m_quitting = false;
};

} // namespace syncline::ui
