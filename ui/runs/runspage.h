#pragma once

#include "engine/state/runstore.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QTableView;

namespace syncline::ui {

class LastSentPanel;
class RunChart;
class RunDetailPanel;
class RunHistoryModel;
class WorkspaceService;

// The Runs page: each sync's history (status, counts, duration, trigger), a chart of rows sent
// and rejected over time, the selected run's rows (searchable, CSV export) and HTTP requests,
// and "what did we last send for this key?" from the ledger. Every query runs on the workspace
// thread; the page reloads when the workspace opens or definitions change.
class RunsPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kHistoryRuns = 500;

    explicit RunsPage(WorkspaceService *workspace, QWidget *parent = nullptr);

    // Reloads the syncs and the shown sync's history (after a run finished, say).
    void reload();
    // Shows `syncName`'s history; selects `runId` in it when given (e.g. the run just sent).
    void showSync(const QString &syncName, std::optional<qint64> runId = std::nullopt);
    QString currentSync() const { return m_syncName; }
    std::optional<qint64> currentRun() const;
    bool isLoading() const { return m_loading; }

    QListWidget *syncList() const { return m_syncs; }
    QTableView *historyView() const { return m_historyView; }
    RunHistoryModel *history() const { return m_history; }
    RunChart *chart() const { return m_chart; }
    RunDetailPanel *detail() const { return m_detail; }
    LastSentPanel *lastSent() const { return m_lastSent; }

signals:
    void historyLoaded(const QString &syncName);

protected:
    // Runs finish while the page is hidden (a send from the sync editor, the scheduler, the CLI).
    void showEvent(QShowEvent *event) override;

private:
    void loadHistory(std::optional<qint64> selectRun);
    void selectRow(int row);

    WorkspaceService *m_workspace;
    QString m_syncName;
    quint64 m_generation = 0;
    bool m_loading = false;
    QListWidget *m_syncs;
    QLabel *m_empty;
    RunChart *m_chart;
    RunHistoryModel *m_history;
    QTableView *m_historyView;
    RunDetailPanel *m_detail;
    LastSentPanel *m_lastSent;
};

} // namespace syncline::ui
