#pragma once

#include "engine/state/runstore.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace syncline::ui {

class ExchangeInspector;
class RunRowsModel;
class WorkspaceService;

// One run in detail: its summary, the per-row outcomes and errors (lazy, searchable by key,
// "rejected only"), export of those rows to CSV off the GUI thread, and for HTTP destinations
// the request and response inspector.
class RunDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunDetailPanel(WorkspaceService *workspace, QWidget *parent = nullptr);

    void showRun(const engine::state::RunInfo &run, const QString &syncName);
    void clear();
    std::optional<engine::state::RunInfo> run() const { return m_run; }
    // Writes the rows the table shows (search and filter applied) to `csvPath`, off the GUI
    // thread; exported() or exportFailed() follows.
    void exportCsv(const QString &csvPath);

    QLabel *summary() const { return m_summary; }
    QLineEdit *searchEdit() const { return m_search; }
    QCheckBox *rejectedOnly() const { return m_rejectedOnly; }
    RunRowsModel *rows() const { return m_rows; }
    QTableView *rowsView() const { return m_rowsView; }
    QPushButton *exportButton() const { return m_export; }
    ExchangeInspector *inspector() const { return m_inspector; }
    QTabWidget *tabs() const { return m_tabs; }

signals:
    void exported(const QString &csvPath, qint64 rows);
    void exportFailed(const QString &message);

private:
    void applyFilter();
    void chooseExportFile();

    WorkspaceService *m_workspace;
    std::optional<engine::state::RunInfo> m_run;
    QLabel *m_summary;
    QLineEdit *m_search;
    QCheckBox *m_rejectedOnly;
    QPushButton *m_export;
    QLabel *m_exportStatus;
    RunRowsModel *m_rows;
    QTableView *m_rowsView;
    ExchangeInspector *m_inspector;
    QTabWidget *m_tabs;
    QTimer m_searchDelay;
};

} // namespace syncline::ui
