#pragma once

#include "engine/state/exchangestore.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace syncline::ui {

class WorkspaceService;

// The request and response inspector of one run of an HTTP destination: the exchanges the run
// kept (already redacted by the engine), failed ones first on demand, and the full request and
// response of the selected one. Loaded on the workspace thread.
class ExchangeInspector : public QWidget
{
    Q_OBJECT
public:
    explicit ExchangeInspector(WorkspaceService *workspace, QWidget *parent = nullptr);

    void showRun(qint64 runId);
    void clear();
    bool isLoading() const { return m_loading; }
    const std::vector<engine::state::StoredExchange> &exchanges() const { return m_exchanges; }
    const engine::state::ExchangeTotals &totals() const { return m_totals; }
    QTreeWidget *list() const { return m_list; }
    QPlainTextEdit *detail() const { return m_detail; }
    QCheckBox *failedOnly() const { return m_failedOnly; }
    static QString describe(const engine::state::StoredExchange &exchange);

signals:
    void loaded(qint64 runId);

private:
    void load();
    void showExchange(int index);

    WorkspaceService *m_workspace;
    qint64 m_runId = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
    engine::state::ExchangeTotals m_totals;
    std::vector<engine::state::StoredExchange> m_exchanges;
    QLabel *m_summary;
    QCheckBox *m_failedOnly;
    QTreeWidget *m_list;
    QPlainTextEdit *m_detail;
};

} // namespace syncline::ui
