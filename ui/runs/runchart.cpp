#include "ui/runs/runchart.h"

#include <QtCharts/QChart>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <QDateTime>
#include <QPen>

#include <algorithm>

namespace syncline::ui {

RunChart::RunChart(QWidget *parent)
    : QChartView(parent)
    , m_sent(new QLineSeries)
    , m_rejected(new QLineSeries)
    , m_time(new QDateTimeAxis)
    , m_rows(new QValueAxis)
{
    auto *chart = new QChart;
    m_sent->setName(tr("Rows sent"));
    m_rejected->setName(tr("Rows rejected"));
    m_sent->setPen(QPen(QColor(13, 110, 253), 2));
    m_rejected->setPen(QPen(QColor(220, 53, 69), 2));
    for (QLineSeries *series : {m_sent, m_rejected}) {
        series->setPointsVisible(true);
        chart->addSeries(series);
    }
    m_time->setFormat(QStringLiteral("MMM d HH:mm"));
    m_time->setTitleText(tr("Run started"));
    m_rows->setLabelFormat(QStringLiteral("%d"));
    m_rows->setTitleText(tr("Rows"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_rows, Qt::AlignLeft);
    for (QLineSeries *series : {m_sent, m_rejected}) {
        series->attachAxis(m_time);
        series->attachAxis(m_rows);
    }
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setRuns({});
}

void RunChart::setRuns(const std::vector<engine::state::RunInfo> &runs)
{
    std::vector<engine::state::RunInfo> ordered = runs;
    std::sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) { return a.startedAtMs < b.startedAtMs; });
    QList<QPointF> sent;
    QList<QPointF> rejected;
    qint64 highest = 0;
    for (const auto &run : ordered) {
        sent.append(QPointF(double(run.startedAtMs), double(run.counts.sent)));
        rejected.append(QPointF(double(run.startedAtMs), double(run.counts.rejected)));
        highest = std::max({highest, run.counts.sent, run.counts.rejected});
    }
    m_sent->replace(sent);
    m_rejected->replace(rejected);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 first = ordered.empty() ? now - 3600'000 : ordered.front().startedAtMs;
    const qint64 last = ordered.empty() ? now : ordered.back().startedAtMs;
    // A little room either side, so a single run is a point in the middle, not on the frame.
    const qint64 span = last - first;
    const qint64 pad = std::max<qint64>(span / 12, 5'000);
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(first - pad), QDateTime::fromMSecsSinceEpoch(last + pad));
    // Labels as precise as the runs are close together.
    m_time->setFormat(span + 2 * pad < 3600'000         ? QStringLiteral("HH:mm:ss")
                      : span + 2 * pad < 2 * 86400'000 ? QStringLiteral("MMM d HH:mm")
                                                       : QStringLiteral("MMM d"));
    m_rows->setRange(0, highest <= 0 ? 10.0 : double(highest) * 1.1);
    m_rows->applyNiceNumbers();
}

} // namespace syncline::ui
