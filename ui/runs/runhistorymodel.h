#pragma once

#include "engine/state/runstore.h"

#include <QAbstractTableModel>

#include <vector>

namespace syncline::ui {

// One sync's runs, newest first: started, status, trigger, planned, sent, accepted, rejected,
// duration and error. Filled from a history query that ran on the workspace thread.
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        StartedColumn,
        StatusColumn,
        TriggerColumn,
        PlannedColumn,
        SentColumn,
        AcceptedColumn,
        RejectedColumn,
        DurationColumn,
        ErrorColumn,
        ColumnCount
    };

    explicit RunHistoryModel(QObject *parent = nullptr);

    void setRuns(std::vector<engine::state::RunInfo> runs);
    const std::vector<engine::state::RunInfo> &runs() const { return m_runs; }
    const engine::state::RunInfo &runAt(int row) const { return m_runs[size_t(row)]; }
    int rowOf(qint64 runId) const; // -1 when not listed
    static QString durationText(const engine::state::RunInfo &run);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<engine::state::RunInfo> m_runs;
};

} // namespace syncline::ui
