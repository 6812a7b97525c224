#pragma once

#include "engine/state/runstore.h"

#include <QtCharts/QChartView>

#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace syncline::ui {

// Rows sent and rows rejected per run over time (Qt Charts): one point per run at its start,
// oldest on the left.
class RunChart : public QChartView
{
    Q_OBJECT
public:
    explicit RunChart(QWidget *parent = nullptr);

    // `runs` in any order (the history lists them newest first).
    void setRuns(const std::vector<engine::state::RunInfo> &runs);
    QLineSeries *sentSeries() const { return m_sent; }
    QLineSeries *rejectedSeries() const { return m_rejected; }

private:
    QLineSeries *m_sent;
    QLineSeries *m_rejected;
    QDateTimeAxis *m_time;
    QValueAxis *m_rows;
};

} // namespace syncline::ui
