#pragma once

#include "engine/state/runrowreader.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace syncline::ui {

class WorkspaceService;

// The lazy table of one run's per-row outcomes: the view's fetchMore() asks the workspace thread
// for the next page (RunRowReader), so a run of a million rows opens at once. Search by key and
// "rejected only" start again from the first row; pages of an outdated query are dropped.
class RunRowsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kPageRows = 200;
    enum Column { KeyColumn, OperationColumn, OutcomeColumn, ErrorColumn, DestinationIdColumn, ColumnCount };

    explicit RunRowsModel(WorkspaceService *workspace, QObject *parent = nullptr);

    void setRun(qint64 runId);
    void clear();
    void setFilter(const engine::state::RunRowFilter &filter);
    const engine::state::RunRowFilter &filter() const { return m_filter; }
    qint64 runId() const { return m_runId; }
    bool isLoading() const { return m_loading; }
    bool isComplete() const { return m_complete; }
    const engine::state::RunRow &rowAt(int row) const { return m_rows[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);

private:
    void restart();

    WorkspaceService *m_workspace;
    qint64 m_runId = 0;
    engine::state::RunRowFilter m_filter;
    std::vector<engine::state::RunRow> m_rows;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_complete = true;
};

} // namespace syncline::ui
