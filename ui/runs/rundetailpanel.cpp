#include "ui/runs/rundetailpanel.h"

#include "engine/sync/syncplanner.h"
#include "ui/runs/exchangeinspector.h"
#include "ui/runs/runcsvexport.h"
#include "ui/runs/runhistorymodel.h"
#include "ui/runs/runrowsmodel.h"
#include "ui/services/backgroundpool.h"
#include "ui/services/backgroundpriority.h"
#include "ui/services/workspaceservice.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::sync::formatCount;

RunDetailPanel::RunDetailPanel(WorkspaceService *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_summary(new QLabel(this))
    , m_search(new QLineEdit(this))
    , m_rejectedOnly(new QCheckBox(tr("Rejected only"), this))
    , m_export(new QPushButton(tr("Export CSV…"), this))
    , m_exportStatus(new QLabel(this))
    , m_rows(new RunRowsModel(workspace, this))
    , m_rowsView(new QTableView(this))
    , m_inspector(new ExchangeInspector(workspace, this))
    , m_tabs(new QTabWidget(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_search->setPlaceholderText(tr("Search by key"));
    m_search->setClearButtonEnabled(true);
    m_exportStatus->setWordWrap(true);
    m_rowsView->setModel(m_rows);
    m_rowsView->setAlternatingRowColors(true);
    m_rowsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rowsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rowsView->verticalHeader()->setDefaultSectionSize(m_rowsView->fontMetrics().height() + 6);
    m_rowsView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_rowsView->horizontalHeader()->setSectionResizeMode(RunRowsModel::ErrorColumn, QHeaderView::Stretch);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);

    auto *rowsPage = new QWidget(m_tabs);
    auto *tools = new QHBoxLayout;
    tools->addWidget(m_search, 1);
    tools->addWidget(m_rejectedOnly);
    tools->addWidget(m_export);
    auto *rowsLayout = new QVBoxLayout(rowsPage);
    rowsLayout->setContentsMargins(0, 4, 0, 0);
    rowsLayout->addLayout(tools);
    rowsLayout->addWidget(m_exportStatus);
    rowsLayout->addWidget(m_rowsView, 1);
    m_tabs->addTab(rowsPage, tr("Rows"));
    m_tabs->addTab(m_inspector, tr("HTTP requests"));
    m_exportStatus->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);

    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(&m_searchDelay, &QTimer::timeout, this, &RunDetailPanel::applyFilter);
    connect(m_rejectedOnly, &QCheckBox::toggled, this, &RunDetailPanel::applyFilter);
    connect(m_export, &QPushButton::clicked, this, &RunDetailPanel::chooseExportFile);
    clear();
}

void RunDetailPanel::clear()
{
    m_run.reset();
    m_rows->clear();
    m_inspector->clear();
    m_export->setEnabled(false);
    m_summary->setText(tr("Choose a run to see what happened to each row."));
}

void RunDetailPanel::showRun(const engine::state::RunInfo &run, const QString &syncName)
{
    m_run = run;
    const QString started = QLocale().toString(QDateTime::fromMSecsSinceEpoch(run.startedAtMs), QLocale::LongFormat);
    QString text = tr("<b>Run %1 of %2</b>: %3, started %4 (%5), took %6. Planned %7, sent %8, accepted %9, rejected %10.")
                       .arg(run.id)
                       .arg(syncName.toHtmlEscaped(), run.status, started, engine::state::runTriggerName(run.trigger),
                            RunHistoryModel::durationText(run), formatCount(run.counts.planned),
                            formatCount(run.counts.sent), formatCount(run.counts.accepted))
                       .arg(formatCount(run.counts.rejected));
    if (!run.error.isEmpty())
        text += QStringLiteral("<br>") + run.error.toHtmlEscaped();
    m_summary->setText(text);
    m_export->setEnabled(true);
    m_exportStatus->hide();
    m_rows->setRun(run.id);
    m_inspector->showRun(run.id);
}

void RunDetailPanel::applyFilter()
{
    m_rows->setFilter(engine::state::RunRowFilter{m_search->text().trimmed(), m_rejectedOnly->isChecked()});
}

void RunDetailPanel::chooseExportFile()
{
    if (!m_run)
        return;
    const QString suggested = QDir::home().filePath(QStringLiteral("run-%1.csv").arg(m_run->id));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export run rows"), suggested, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void RunDetailPanel::exportCsv(const QString &csvPath)
{
    if (!m_run || !m_workspace->isOpen())
        return;
    m_searchDelay.stop();
    applyFilter(); // export exactly what the search shows now
    m_export->setEnabled(false);
    m_exportStatus->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(csvPath)));
    m_exportStatus->show();
    const QString workspacePath = m_workspace->path();
    const qint64 runId = m_run->id;
    const engine::state::RunRowFilter filter = m_rows->filter();
    QPointer<RunDetailPanel> guard(this);
    (void)QtConcurrent::run(&backgroundPool(), [guard, workspacePath, runId, filter, csvPath] {
        lowerThreadPriority();
        auto written = exportRunCsv(workspacePath, runId, filter, csvPath);
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [guard, csvPath, written] {
            if (!guard)
                return;
            guard->m_export->setEnabled(guard->m_run.has_value());
            if (!written) {
                guard->m_exportStatus->setText(written.error().message);
                emit guard->exportFailed(written.error().message);
                return;
            }
            guard->m_exportStatus->setText(
                tr("Exported %1 rows to %2.").arg(formatCount(*written), QDir::toNativeSeparators(csvPath)));
            emit guard->exported(csvPath, *written);
        }, Qt::QueuedConnection);
    });
}

} // namespace syncline::ui
