#pragma once

#include "engine/warehouse/column.h"
#include "ui/models/querysession.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace syncline::ui {

// The lazy result table (the QGIS QgsQueryResultModel idea): the view's fetchMore() asks the
// session for the next batch, rows are appended with beginInsertRows, and fetching stops at a
// row cap that loadMore() raises. Results of an outdated generation are dropped.
class ResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kBatchRows = 256;
    static constexpr int kDefaultCap = 1000;

    explicit ResultModel(QObject *parent = nullptr);

    // Starts showing `session`'s result (which carries a newer generation); clears the table.
    void attach(QuerySession *session);
    void clear();
    void loadMore(int rows = kDefaultCap);

    quint64 generation() const { return m_generation; }
    int cap() const { return m_cap; }
    bool isComplete() const { return m_complete; }    // the query returned all its rows
    bool isWaiting() const { return m_session && (m_columns.empty() || m_requested > 0); }
    bool hasMoreThanCap() const { return !m_complete && int(m_rows.size()) >= m_cap; }
    const std::vector<engine::warehouse::Column> &columns() const { return m_columns; }
    QVariant value(int row, int column) const { return m_rows[size_t(row)][column]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void rowsChanged(); // rows arrived, the result completed, or the cap moved

private:
    void onColumns(quint64 generation, const std::vector<engine::warehouse::Column> &columns);
    void onRows(quint64 generation, const QVector<PreviewRow> &rows);
    void onFinished(quint64 generation);

    QPointer<QuerySession> m_session;
    quint64 m_generation = 0;
    std::vector<engine::warehouse::Column> m_columns;
    std::vector<PreviewRow> m_rows;
    int m_cap = kDefaultCap;
    int m_requested = 0; // rows asked for and not yet arrived
    bool m_complete = false;
};

} // namespace syncline::ui
