#include "ui/models/previewpanel.h"

#include "ui/widgets/errortext.h"
#include "ui/models/querysession.h"
#include "ui/models/resultmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::Error;
using engine::warehouse::Column;

PreviewPanel::PreviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ResultModel(this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_loadMore(new QPushButton(tr("Load more"), this))
{
    m_view->setModel(m_model);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_loadMore->setToolTip(tr("Fetch %1 more rows").arg(QLocale().toString(ResultModel::kDefaultCap)));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_loadMore);
    bar->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_view, 1);

    m_tick.setInterval(100);
    connect(&m_tick, &QTimer::timeout, this, &PreviewPanel::refresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        if (first != 0)
            return;
        // Size columns to the first rows once; the user's own widths are kept after that.
        m_view->resizeColumnsToContents();
        const int widest = m_view->fontMetrics().averageCharWidth() * 32;
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), widest));
    });
    connect(m_model, &ResultModel::rowsChanged, this, [this] {
        if (m_state != State::Running && m_state != State::MoreAvailable)
            return refresh();
        if (m_model->isComplete())
            setState(State::Complete);
        else if (!m_model->isWaiting())
            setState(State::MoreAvailable);
        else if (m_state != State::Running)
            setState(State::Running);
        refresh();
    });
    connect(m_cancel, &QPushButton::clicked, this, &PreviewPanel::cancel);
    connect(m_loadMore, &QPushButton::clicked, this, [this] {
        m_elapsed.start();
        setState(State::Running);
        m_model->loadMore();
    });
    setState(State::Idle);
}

void PreviewPanel::run(ConnectionOpener opener, const QString &sql)
{
    if (m_session) {
        m_session->cancel();
        m_session->deleteLater();
    }
    m_error->hide();
    auto *session = new QuerySession(std::move(opener), sql, ++m_generation, this);
    m_session = session;
    const quint64 generation = m_generation;
    connect(session, &QuerySession::columnsReady, this, [this](quint64 g, const std::vector<Column> &columns) {
        if (g == m_generation)
            emit columnsChanged(columns);
    });
    connect(session, &QuerySession::cancelled, this, [this](quint64 g) {
        if (g == m_generation)
            setState(State::Cancelled);
    });
    connect(session, &QuerySession::failed, this, [this](quint64 g, const Error &error) {
        if (g != m_generation)
            return;
        m_error->setText(ErrorText::forQuery(error).html());
        m_error->show();
        setState(State::Failed);
    });
    m_model->attach(session);
    m_elapsed.start();
    setState(State::Running);
    session->start();
    Q_UNUSED(generation);
}

void PreviewPanel::cancel()
{
    if (m_session && (m_state == State::Running || m_state == State::MoreAvailable)) {
        m_session->cancel();
        if (m_state == State::MoreAvailable)
            setState(State::Cancelled);
    }
}

void PreviewPanel::clear()
{
    if (m_session) {
        m_session->cancel();
        m_session->deleteLater();
    }
    ++m_generation;
    m_model->clear();
    m_error->hide();
    setState(State::Idle);
}

void PreviewPanel::setState(State state)
{
    const bool wasRunning = m_state == State::Running;
    if (state != State::Running && wasRunning)
        m_elapsedMs = m_elapsed.elapsed();
    m_state = state;
    m_cancel->setEnabled(state == State::Running || state == State::MoreAvailable);
    m_cancel->setText(state == State::MoreAvailable ? tr("Stop") : tr("Cancel"));
    m_cancel->setToolTip(state == State::MoreAvailable ? tr("Close the result; the rows shown stay")
                                                       : tr("Stop the running query (Esc)"));
    m_loadMore->setVisible(state == State::MoreAvailable && m_model->hasMoreThanCap());
    if (state == State::Running)
        m_tick.start();
    else
        m_tick.stop();
    refresh();
    emit stateChanged(state);
}

QString PreviewPanel::statusText() const
{
    const QLocale locale;
    const QString rows = locale.toString(m_model->rowCount());
    const qint64 ms = m_state == State::Running ? m_elapsed.elapsed() : m_elapsedMs;
    const QString time = ms < 1000 ? tr("%1 ms").arg(ms) : tr("%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    switch (m_state) {
    case State::Idle: return tr("Press Ctrl+Enter to preview the query.");
    case State::Running:
        return m_model->columns().empty() ? tr("Running… %1").arg(time) : tr("Fetching… %1 rows, %2").arg(rows, time);
    case State::MoreAvailable:
        if (m_model->hasMoreThanCap())
            return tr("First %1 rows in %2; the query has more rows.").arg(rows, time);
        return tr("%1 rows in %2; scroll down for more.").arg(rows, time);
    case State::Complete: return tr("%1 rows in %2 (complete).").arg(rows, time);
    case State::Cancelled: return tr("Cancelled after %1 rows, %2.").arg(rows, time);
    case State::Failed: return tr("The query failed after %1.").arg(time);
    }
    return {};
}

void PreviewPanel::refresh()
{
    m_status->setText(statusText());
}

} // namespace syncline::ui
