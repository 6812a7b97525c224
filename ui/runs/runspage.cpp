#include "ui/runs/runspage.h"

#include "engine/state/definitionstore.h"
#include "ui/runs/lastsentpanel.h"
#include "ui/runs/runchart.h"
#include "ui/runs/rundetailpanel.h"
#include "ui/runs/runhistorymodel.h"
#include "ui/services/workspaceservice.h"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QShowEvent>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::state::RunInfo;

namespace {

struct History
{
    std::vector<RunInfo> runs;
    QString error;
};

} // namespace

RunsPage::RunsPage(WorkspaceService *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_syncs(new QListWidget(this))
    , m_empty(new QLabel(this))
    , m_chart(new RunChart(this))
    , m_history(new RunHistoryModel(this))
    , m_historyView(new QTableView(this))
    , m_detail(new RunDetailPanel(workspace, this))
    , m_lastSent(new LastSentPanel(workspace, this))
{
    auto *title = new QLabel(tr("Runs"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto *explanation = new QLabel(tr("A run is one send of a sync: what it planned, what the destination accepted "
                                      "or rejected, and how long it took. Choose a sync to see its history, and a run "
                                      "to see each row."),
                                   this);
    explanation->setWordWrap(true);
    m_empty->setText(tr("This workspace has no syncs yet. Once a sync is sent, its runs appear here."));
    m_empty->hide();

    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->verticalHeader()->hide();
    m_historyView->verticalHeader()->setDefaultSectionSize(m_historyView->fontMetrics().height() + 6);
    m_historyView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->horizontalHeader()->setResizeContentsPrecision(40); // widths from the newest runs
    m_detail->tabs()->addTab(m_lastSent, tr("Last sent for a key"));

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_chart);
    right->addWidget(m_historyView);
    right->addWidget(m_detail);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    right->setStretchFactor(2, 3);
    right->setChildrenCollapsible(false);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_syncs);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({m_syncs->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 24, 800});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(explanation);
    layout->addWidget(m_empty);
    layout->addWidget(split, 1);

    connect(m_syncs, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty() && name != m_syncName)
            showSync(name);
    });
    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_detail->showRun(m_history->runAt(current.row()), m_syncName);
                else
                    m_detail->clear();
            });
    connect(m_workspace, &WorkspaceService::opened, this, &RunsPage::reload);
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &RunsPage::reload);
}

void RunsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!event->spontaneous())
        reload();
}

void RunsPage::reload()
{
    if (!m_workspace->isOpen())
        return;
    m_workspace->call<QStringList>(
        this,
        [](engine::state::Workspace &workspace) {
            QStringList names;
            if (auto syncs = engine::state::DefinitionStore(workspace).syncs())
                for (const auto &sync : *syncs)
                    names << sync.name;
            return names;
        },
        [this](QStringList names) {
            const QString keep = m_syncName;
            {
                const QSignalBlocker block(m_syncs);
                m_syncs->clear();
                m_syncs->addItems(names);
            }
            m_empty->setVisible(names.isEmpty());
            const QString show = names.contains(keep) ? keep : names.value(0);
            if (show.isEmpty()) {
                m_syncName.clear();
                m_history->setRuns({});
                m_chart->setRuns({});
                m_detail->clear();
                emit historyLoaded(QString());
                return;
            }
            showSync(show, currentRun());
        });
}

void RunsPage::showSync(const QString &syncName, std::optional<qint64> runId)
{
    m_syncName = syncName;
    const auto matches = m_syncs->findItems(syncName, Qt::MatchExactly);
    if (!matches.isEmpty() && m_syncs->currentItem() != matches.front()) {
        const QSignalBlocker block(m_syncs);
        m_syncs->setCurrentItem(matches.front());
    }
    m_lastSent->setSync(syncName);
    loadHistory(runId);
}

void RunsPage::loadHistory(std::optional<qint64> selectRun)
{
    if (!m_workspace->isOpen())
        return;
    const quint64 generation = ++m_generation;
    const QString syncName = m_syncName;
    m_loading = true;
    m_workspace->call<History>(
        this,
        [syncName](engine::state::Workspace &workspace) {
            History history;
            auto syncId = engine::state::DefinitionStore(workspace).syncId(syncName);
            if (!syncId) {
                history.error = syncId.error().message;
                return history;
            }
            auto runs = engine::state::RunStore(workspace).runs(*syncId, kHistoryRuns);
            if (runs)
                history.runs = std::move(*runs);
            else
                history.error = runs.error().message;
            return history;
        },
        [this, generation, syncName, selectRun](History history) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_history->setRuns(history.runs);
            m_chart->setRuns(history.runs);
            m_historyView->resizeColumnsToContents();
            int row = history.runs.empty() ? -1 : 0;
            if (selectRun && m_history->rowOf(*selectRun) >= 0)
                row = m_history->rowOf(*selectRun);
            selectRow(row);
            emit historyLoaded(syncName);
        });
}

void RunsPage::selectRow(int row)
{
    if (row < 0) {
        m_detail->clear();
        return;
    }
    m_historyView->setCurrentIndex(m_history->index(row, 0));
    m_historyView->selectRow(row);
    // Setting the same row again does not emit currentRowChanged: show it anyway (a reload).
    m_detail->showRun(m_history->runAt(row), m_syncName);
}

std::optional<qint64> RunsPage::currentRun() const
{
    const QModelIndex current = m_historyView->currentIndex();
    if (!current.isValid() || current.row() >= m_history->rowCount())
        return std::nullopt;
    return m_history->runAt(current.row()).id;
}

} // namespace syncline::ui
