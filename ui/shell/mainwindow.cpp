#include "ui/shell/mainwindow.h"

#include "engine/state/workspace.h"
#include "ui/widgets/definitionlistpage.h"
#include "ui/models/modelspage.h"
#include "ui/runs/runalerts.h"
#include "ui/syncs/scheduledialog.h"
#include "ui/shell/schedulertray.h"
#include "ui/sources/sourcespage.h"
#include "ui/syncs/syncscheduler.h"
#include "ui/shell/welcomepage.h"
#include "ui/widgets/workspacelists.h"
#include "ui/services/workspaceservice.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::Result;
using engine::state::Workspace;

namespace {

const QString kRecentKey = QStringLiteral("workspaces/recent");
constexpr int kMaxRecent = 8;

} // namespace

MainWindow::MainWindow(MainWindowServices services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(std::move(services))
    , m_workspace(new WorkspaceService(this))
    , m_sidebar(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
{
    setWindowTitle(tr("Syncline"));
    m_welcome = new WelcomePage(m_stack);
    m_sources = new SourcesPage(m_workspace, m_services.secrets, m_services.secretWriter, m_stack);
    m_models = new ModelsPage(m_workspace, m_services.secrets, m_stack);
    m_destinations = new DefinitionListPage(
        m_workspace, tr("Destinations"),
        tr("A destination is a configured connector (a CRM account, a webhook, a CSV folder). This page lists the "
           "destinations in this workspace; this version of the app does not edit them yet."),
        {tr("Name"), tr("Type")}, tr("This workspace has no destinations."), &destinationRows, m_stack);
    m_syncs = new DefinitionListPage(
        m_workspace, tr("Syncs"),
        tr("A sync maps a model onto a destination object. This page lists the syncs in this workspace. Select one "
           "and choose Schedule… to run it on a schedule; while Syncline is open or in the tray, due syncs run in "
           "the background."),
        {tr("Name"), tr("Model"), tr("Destination"), tr("Mode"), tr("Schedule")}, tr("This workspace has no syncs."),
        &syncRows, m_stack);
    m_runs = new DefinitionListPage(
        m_workspace, tr("Runs"),
        tr("A run is one execution of a sync: what it planned, what the destination accepted or rejected, and "
           "how long it took. This page lists the newest runs in this workspace."),
        {tr("Started"), tr("Sync"), tr("Status"), tr("Planned"), tr("Accepted"), tr("Rejected"), tr("Took"), tr("Trigger"),
         tr("Error")},
        tr("No sync has run in this workspace yet."), &runRows, m_stack);

    const std::pair<QString, QWidget *> pages[] = {
        {tr("Getting started"), m_welcome}, {tr("Sources"), m_sources}, {tr("Models"), m_models},
        {tr("Destinations"), m_destinations}, {tr("Syncs"), m_syncs}, {tr("Runs"), m_runs}};
    for (const auto &[label, page] : pages) {
        auto *item = new QListWidgetItem(label, m_sidebar);
        item->setSizeHint(QSize(0, m_sidebar->fontMetrics().height() * 2 + 4));
        m_stack->addWidget(page);
    }
    m_sidebar->setFixedWidth(m_sidebar->fontMetrics().horizontalAdvance(tr("Getting started")) + 48);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setBackgroundRole(QPalette::Window);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    buildMenus();
    statusBar()->showMessage(tr("No workspace open"));

    connect(m_welcome, &WelcomePage::goToSources, this, [this] { showPage(Page::Sources); });
    connect(m_welcome, &WelcomePage::goToModels, this, [this] { showPage(Page::Models); });
    connect(m_welcome, &WelcomePage::goToSyncs, this, [this] { showPage(Page::Syncs); });
    connect(m_welcome, &WelcomePage::goToRuns, this, [this] { showPage(Page::Runs); });
    connect(m_workspace, &WorkspaceService::opened, this, [this](const QString &path) {
        setWindowFilePath(path);
        setWindowTitle(tr("%1 — Syncline").arg(QFileInfo(path).completeBaseName()));
        m_welcome->setWorkspaceName(QFileInfo(path).completeBaseName());
        statusBar()->showMessage(tr("Workspace: %1").arg(QDir::toNativeSeparators(path)));
        rememberRecent(path);
        emit workspaceReady(path);
    });
    connect(m_workspace, &WorkspaceService::openFailed, this, [this](const QString &path, const engine::Error &error) {
        statusBar()->showMessage(tr("Could not open %1").arg(path));
        QMessageBox::warning(this, tr("Open workspace"), error.message);
    });
    setUpScheduling();
    showPage(Page::Sources);
    resize(1180, 760);
}

void MainWindow::setUpScheduling()
{
    m_syncs->addRowAction(tr("Schedule…"), [this](const QString &sync) { editSchedule(sync); });
    if (!m_services.scheduler.runIfDue)
        return;
    m_scheduler = new SyncScheduler(m_workspace, m_services.scheduler, this);
    m_tray = new SchedulerTray(this);
    m_alerts = new RunAlerts(this);
    connect(m_scheduler, &SyncScheduler::runningChanged, this, [this](const QStringList &running) {
        m_tray->setRunning(running);
        statusBar()->showMessage(running.isEmpty() ? tr("Workspace: %1").arg(QDir::toNativeSeparators(m_workspace->path()))
                                                   : tr("Running: %1").arg(running.join(QStringLiteral(", "))));
    });
    connect(m_scheduler, &SyncScheduler::runFinished, this, [this](const engine::schedule::DueOutcome &outcome) {
        m_tray->reportOutcome(outcome);
        m_alerts->notify(outcome, AlertSettings::load(m_workspace->path()));
        m_runs->reload();
    });
    connect(m_tray, &SchedulerTray::showWindowRequested, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    connect(m_tray, &SchedulerTray::showRunsRequested, this, [this] {
        showNormal();
        raise();
        showPage(Page::Runs);
    });
    connect(m_tray, &SchedulerTray::quitRequested, this, [this] {
        m_quitting = true;
        qApp->quit();
    });
    // In the tray the app keeps running (and scheduling) with no window shown.
    if (m_tray->isAvailable())
        QApplication::setQuitOnLastWindowClosed(false);
    m_scheduler->start();
}

void MainWindow::editSchedule(const QString &syncName)
{
    auto *dialog = new ScheduleDialog(m_workspace, m_services.scheduler, syncName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_scheduler)
        connect(dialog, &ScheduleDialog::saved, m_scheduler, &SyncScheduler::checkNow);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_tray && m_tray->isAvailable() && !m_quitting) {
        hide();
        event->ignore();
        m_tray->explainOnce(tr("Syncline keeps running scheduled syncs in the tray. Quit it from the tray menu."));
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Workspace…"), QKeySequence::New, this, &MainWindow::newWorkspace);
    file->addAction(tr("&Open Workspace…"), QKeySequence::Open, this, &MainWindow::openWorkspaceDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addSeparator();
    // Some platforms (Windows, bare X11) have no standard Quit key; Ctrl+Q is what people expect there.
    const QKeySequence quitKey = QKeySequence::keyBindings(QKeySequence::Quit).isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Q)
                                                                                        : QKeySequence(QKeySequence::Quit);
    QAction *quit = file->addAction(tr("&Quit"), quitKey, this, [this] {
        m_quitting = true; // past the tray: scheduled syncs stop with the app
        QApplication::closeAllWindows();
        qApp->quit();
    });
    quit->setMenuRole(QAction::QuitRole);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Getting Started"), this, [this] { showPage(Page::Welcome); });
    QAction *about = help->addAction(tr("&About Syncline"), this, &MainWindow::about);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::openInitialWorkspace()
{
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    const bool explicitPath = qEnvironmentVariableIsSet("SYNCLINE_WORKSPACE");
    if (!explicitPath && !recent.isEmpty() && QFileInfo::exists(recent.front()))
        return openWorkspace(recent.front());
    const QString path = Workspace::defaultPath();
    if (QFileInfo::exists(path))
        return openWorkspace(path);
    // First start: the demo workspace and the walk-through.
    showPage(Page::Welcome);
    auto create = m_services.createDemoWorkspace;
    m_workspace->openPrepared([path, create]() -> Result<QString> {
        if (create) {
            if (auto made = create(path); !made)
                return std::unexpected(made.error());
        }
        return path;
    });
}

void MainWindow::openWorkspace(const QString &path)
{
    m_workspace->open(path);
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_stack->currentIndex());
}

void MainWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] { openWorkspace(path); });
        action->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent workspaces"))->setEnabled(false);
}

void MainWindow::newWorkspace()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Workspace"), QString(), tr("Syncline workspaces (*.syncline)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".syncline")))
        path += QStringLiteral(".syncline");
    openWorkspace(path);
}

void MainWindow::openWorkspaceDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Workspace"), QString(), tr("Syncline workspaces (*.syncline)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Syncline"),
                       tr("<h3>Syncline %1</h3><p>Reverse ETL on the desktop: from your warehouse to the tools your "
                          "team works in, previewed before it is sent.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace syncline::ui
