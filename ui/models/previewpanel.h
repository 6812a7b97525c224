#pragma once

#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "ui/sources/sourceconnection.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace syncline::ui {

class QuerySession;
class ResultModel;

// Shows a query's preview: the lazy table, rows shown, elapsed time, Cancel and "Load more".
// run() starts a new generation; anything still arriving from the previous one is dropped.
class PreviewPanel : public QWidget
{
    Q_OBJECT
public:
    enum class State { Idle, Running, MoreAvailable, Complete, Cancelled, Failed };

    explicit PreviewPanel(QWidget *parent = nullptr);

    void run(ConnectionOpener opener, const QString &sql);
    void cancel();
    void clear();

    State state() const { return m_state; }
    ResultModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *loadMoreButton() const { return m_loadMore; }
    QString statusText() const;

signals:
    void columnsChanged(const std::vector<syncline::engine::warehouse::Column> &columns);
    void stateChanged(syncline::ui::PreviewPanel::State state);

private:
    void setState(State state);
    void refresh();

    ResultModel *m_model = nullptr;
    QPointer<QuerySession> m_session;
    quint64 m_generation = 0;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_loadMore = nullptr;
    QElapsedTimer m_elapsed;
    qint64 m_elapsedMs = 0;
    QTimer m_tick;
    State m_state = State::Idle;
};

} // namespace syncline::ui
