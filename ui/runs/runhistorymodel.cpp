#include "ui/runs/runhistorymodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace syncline::ui {

RunHistoryModel::RunHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RunHistoryModel::setRuns(std::vector<engine::state::RunInfo> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int RunHistoryModel::rowOf(qint64 runId) const
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == runId)
            return int(i);
    return -1;
}

QString RunHistoryModel::durationText(const engine::state::RunInfo &run)
{
    if (run.finishedAtMs <= 0 || run.finishedAtMs < run.startedAtMs)
        return run.status == QLatin1String("running") ? tr("running") : QString();
    const qint64 ms = run.finishedAtMs - run.startedAtMs;
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return tr("%1 min %2 s").arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_runs.size()))
        return {};
    const engine::state::RunInfo &run = m_runs[size_t(index.row())];
    const QLocale locale;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case StartedColumn:
            return locale.toString(QDateTime::fromMSecsSinceEpoch(run.startedAtMs), QLocale::ShortFormat);
        case StatusColumn:
            return run.status;
        case TriggerColumn:
            return engine::state::runTriggerName(run.trigger);
        case PlannedColumn:
            return locale.toString(run.counts.planned);
        case SentColumn:
            return locale.toString(run.counts.sent);
        case AcceptedColumn:
            return locale.toString(run.counts.accepted);
        case RejectedColumn:
            return locale.toString(run.counts.rejected);
        case DurationColumn:
            return durationText(run);
        case ErrorColumn:
            return run.error;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ErrorColumn && !run.error.isEmpty())
        return run.error;
    if (role == Qt::TextAlignmentRole && index.column() >= PlannedColumn && index.column() <= DurationColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        if (run.status == QLatin1String("failed"))
            return QBrush(QColor(176, 42, 55));
        if (run.status == QLatin1String("partial") || run.status == QLatin1String("cancelled"))
            return QBrush(QColor(153, 102, 0));
        if (run.status == QLatin1String("succeeded"))
            return QBrush(QColor(25, 135, 84));
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    const QString names[] = {tr("Started"), tr("Status"),   tr("Trigger"),  tr("Planned"), tr("Sent"),
                             tr("Accepted"), tr("Rejected"), tr("Duration"), tr("Error")};
    return section >= 0 && section < ColumnCount ? names[section] : QVariant();
}

} // namespace syncline::ui
