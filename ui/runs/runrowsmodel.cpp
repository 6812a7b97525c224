#include "ui/runs/runrowsmodel.h"

#include "ui/services/workspaceservice.h"

#include <QBrush>
#include <QColor>

namespace syncline::ui {

using engine::state::RunRow;

namespace {

struct Page
{
    std::vector<RunRow> rows;
    bool complete = true;
};

} // namespace

RunRowsModel::RunRowsModel(WorkspaceService *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
}

void RunRowsModel::setRun(qint64 runId)
{
    m_runId = runId;
    restart();
}

void RunRowsModel::clear()
{
    m_runId = 0;
    restart();
}

void RunRowsModel::setFilter(const engine::state::RunRowFilter &filter)
{
    m_filter = filter;
    restart();
}

void RunRowsModel::restart()
{
    beginResetModel();
    m_rows.clear();
    m_complete = m_runId == 0;
    ++m_generation;
    m_loading = false;
    endResetModel();
    emit loadingChanged(false);
    if (canFetchMore({}))
        fetchMore({});
}

int RunRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunRowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunRowsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const RunRow &row = m_rows[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case KeyColumn:
            return QString::fromStdString(row.key);
        case OperationColumn:
            return row.operation;
        case OutcomeColumn:
            return row.accepted ? tr("accepted") : tr("rejected");
        case ErrorColumn:
            return row.error;
        case DestinationIdColumn:
            return row.destinationId;
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && !row.accepted && (index.column() == OutcomeColumn || index.column() == ErrorColumn))
        return QBrush(QColor(176, 42, 55));
    return {};
}

QVariant RunRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case OperationColumn:
        return tr("Operation");
    case OutcomeColumn:
        return tr("Outcome");
    case ErrorColumn:
        return tr("Error");
    case DestinationIdColumn:
        return tr("Record id");
    default:
        return {};
    }
}

bool RunRowsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_runId != 0 && !m_complete && !m_loading;
}

void RunRowsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    emit loadingChanged(true);
    const quint64 generation = m_generation;
    const qint64 runId = m_runId;
    const engine::state::RunRowFilter filter = m_filter;
    const std::optional<RunRow> after = m_rows.empty() ? std::nullopt : std::optional<RunRow>(m_rows.back());
    m_workspace->call<Page>(
        this,
        [=](engine::state::Workspace &workspace) {
            auto rows = engine::state::RunRowReader(workspace).page(runId, filter, after, kPageRows);
            Page page;
            if (rows) {
                page.complete = int(rows->size()) < kPageRows;
                page.rows = std::move(*rows);
            }
            return page;
        },
        [this, generation](Page page) {
            if (generation != m_generation)
                return;
            if (!page.rows.empty()) {
                const int first = int(m_rows.size());
                beginInsertRows({}, first, first + int(page.rows.size()) - 1);
                m_rows.insert(m_rows.end(), page.rows.begin(), page.rows.end());
                endInsertRows();
            }
            m_complete = page.complete;
            m_loading = false;
            emit loadingChanged(false);
        });
}

} // namespace syncline::ui
