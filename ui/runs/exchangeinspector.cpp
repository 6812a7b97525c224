#include "ui/runs/exchangeinspector.h"

#include "engine/sync/syncplanner.h"
#include "ui/services/workspaceservice.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::state::ExchangeTotals;
using engine::state::StoredExchange;

namespace {

struct Loaded
{
    ExchangeTotals totals;
    std::vector<StoredExchange> exchanges;
    QString error;
};

QString body(const StoredExchange::Message &message)
{
    if (message.body.isEmpty())
        return QObject::tr("(no body)");
    const QJsonDocument json = QJsonDocument::fromJson(message.body);
    QString text = json.isNull() ? QString::fromUtf8(message.body) : QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    if (message.truncated)
        text += QObject::tr("\n… (%1 bytes in all; the inspector keeps the start)").arg(message.bytes);
    return text;
}

QString headers(const StoredExchange::Message &message)
{
    QString text;
    for (const auto &[name, value] : message.headers)
        text += QString::fromUtf8(name) + QStringLiteral(": ") + QString::fromUtf8(value) + QLatin1Char('\n');
    return text;
}

} // namespace

ExchangeInspector::ExchangeInspector(WorkspaceService *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_summary(new QLabel(this))
    , m_failedOnly(new QCheckBox(tr("Failed only"), this))
    , m_list(new QTreeWidget(this))
    , m_detail(new QPlainTextEdit(this))
{
    m_summary->setWordWrap(true);
    m_list->setHeaderLabels({tr("#"), tr("Method"), tr("URL"), tr("Status"), tr("Took")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_failedOnly);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_failedOnly, &QCheckBox::toggled, this, &ExchangeInspector::load);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        showExchange(item ? m_list->indexOfTopLevelItem(item) : -1);
    });
    clear();
}

void ExchangeInspector::clear()
{
    m_runId = 0;
    ++m_generation;
    m_exchanges.clear();
    m_totals = {};
    m_list->clear();
    m_detail->clear();
    m_summary->setText(tr("Choose a run to see the HTTP requests it made."));
}

void ExchangeInspector::showRun(qint64 runId)
{
    m_runId = runId;
    load();
}

void ExchangeInspector::load()
{
    if (m_runId == 0)
        return;
    const quint64 generation = ++m_generation;
    const qint64 runId = m_runId;
    const bool failedOnly = m_failedOnly->isChecked();
    m_loading = true;
    m_workspace->call<Loaded>(
        this,
        [runId, failedOnly](engine::state::Workspace &workspace) {
            engine::state::ExchangeStore store(workspace);
            Loaded loaded;
            auto totals = store.totals(runId);
            if (!totals) {
                loaded.error = totals.error().message;
                return loaded;
            }
            auto exchanges = store.exchanges(runId, failedOnly);
            if (!exchanges) {
                loaded.error = exchanges.error().message;
                return loaded;
            }
            loaded.totals = *totals;
            loaded.exchanges = std::move(*exchanges);
            return loaded;
        },
        [this, generation, runId](Loaded result) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_totals = result.totals;
            m_exchanges = std::move(result.exchanges);
            m_list->clear();
            m_detail->clear();
            using engine::sync::formatCount;
            if (!result.error.isEmpty())
                m_summary->setText(result.error);
            else if (m_totals.recorded == 0)
                m_summary->setText(tr("This run made no HTTP requests (its destination is not an HTTP API)."));
            else
                m_summary->setText(tr("%1 requests, %2 failed; %3 kept here%4.")
                                       .arg(formatCount(m_totals.recorded), formatCount(m_totals.failed),
                                            formatCount(m_totals.kept),
                                            m_totals.overCap > 0 || m_totals.pruned
                                                ? tr(" (the rest went past the inspector's size limit)")
                                                : QString()));
            for (const StoredExchange &exchange : m_exchanges) {
                auto *item = new QTreeWidgetItem(m_list);
                item->setText(0, QString::number(exchange.seq));
                item->setText(1, exchange.method);
                item->setText(2, exchange.url);
                item->setText(3, exchange.status > 0 ? QString::number(exchange.status) : exchange.error.left(40));
                item->setText(4, tr("%1 ms").arg(exchange.durationMs));
                if (exchange.failed)
                    for (int c = 0; c < 5; ++c)
                        item->setForeground(c, QColor(176, 42, 55));
            }
            if (!m_exchanges.empty())
                m_list->setCurrentItem(m_list->topLevelItem(0));
            emit loaded(runId);
        });
}

QString ExchangeInspector::describe(const StoredExchange &exchange)
{
    QString text = exchange.method + QLatin1Char(' ') + exchange.url + QLatin1Char('\n') + headers(exchange.request)
        + QLatin1Char('\n') + body(exchange.request) + QStringLiteral("\n\n");
    if (exchange.status > 0)
        text += tr("HTTP %1").arg(exchange.status) + QLatin1Char('\n') + headers(exchange.response) + QLatin1Char('\n')
            + body(exchange.response);
    else
        text += tr("No response: %1").arg(exchange.error);
    return text;
}

void ExchangeInspector::showExchange(int index)
{
    if (index < 0 || index >= int(m_exchanges.size()))
        return m_detail->clear();
    m_detail->setPlainText(describe(m_exchanges[size_t(index)]));
}

} // namespace syncline::ui
